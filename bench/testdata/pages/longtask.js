// longtask.js: a classic script in <head>, before the page's modules, so
// that it watches the main thread from the start. It keeps every long task
// (50 ms or more, the Long Tasks API's threshold) on window.__longTasks;
// the buffered flag adds those that ran before it. null: no support.
window.__longTasks = []
try {
  window.__longTaskObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration })
  })
  window.__longTaskObserver.observe({ type: 'longtask', buffered: true })
} catch {
  window.__longTasks = null
}
