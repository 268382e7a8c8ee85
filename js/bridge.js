// The communication iframe: see js/README in the browser SDK issue. Filled in
// by the browser layer.
