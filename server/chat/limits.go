package chat

import (
	"bytes"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
)

// Field limits of a message beyond its text (api.MaxTextLength,
// api.MaxStructuredLength): what a sender may make the platform store and
// hand to every reader. Past one the answer is 413 too_large (sizes) or 400
// invalid_argument (shapes).
const (
	MaxMetadataBytes = 4 << 10 // a message's metadata, as JSON
	MaxJSONDepth     = 16      // nesting of metadata and structured content
	MaxJSONArray     = 100     // items of any array in them
	MaxButtons       = 25      // inline buttons, quick replies, a card's buttons
	MaxLabelLength   = 1000    // a button's title, payload or URL; a card's or form's field
)

// CheckMessageParts bounds every part of m but its text: metadata,
// structured content, buttons, quick replies, card and form. addMessage
// calls it, so no route that stores a message can forget it.
func CheckMessageParts(m *api.Message) error {
	if len(m.Metadata) > MaxMetadataBytes {
		return api.Errorf(api.CodeTooLarge, "metadata is %d bytes, over the %d limit", len(m.Metadata), MaxMetadataBytes)
	}
	if err := checkJSONShape("metadata", m.Metadata); err != nil {
		return err
	}
	if err := checkJSONShape("structured content", m.Structured); err != nil {
		return err
	}
	if err := checkButtons("buttons", m.Buttons); err != nil {
		return err
	}
	if err := checkButtons("quick_replies", m.QuickReplies); err != nil {
		return err
	}
	if c := m.Card; c != nil {
		if err := checkLabels("card", c.Title, c.Subtitle, c.ImageURL, c.Link); err != nil {
			return err
		}
		if n := utf8.RuneCountInString(c.Body); n > api.MaxTextLength {
			return api.Errorf(api.CodeTooLarge, "card body is %d characters, over the %d limit", n, api.MaxTextLength)
		}
		if err := checkButtons("card buttons", c.Buttons); err != nil {
			return err
		}
	}
	if f := m.Form; f != nil {
		if err := checkLabels("form", f.FormType, f.Name, f.Title, f.Subtitle, f.ExternalFormID, f.Image); err != nil {
			return err
		}
	}
	return nil
}

func checkButtons(what string, bs []api.MessageButton) error {
	if len(bs) > MaxButtons {
		return api.Errorf(api.CodeInvalidArgument, "%s has %d items, over the %d limit", what, len(bs), MaxButtons)
	}
	for _, b := range bs {
		if err := checkLabels(what, b.Title, b.Payload, b.URL); err != nil {
			return err
		}
	}
	return nil
}

func checkLabels(what string, labels ...string) error {
	for _, l := range labels {
		if n := utf8.RuneCountInString(l); n > MaxLabelLength {
			return api.Errorf(api.CodeTooLarge, "a field of %s is %d characters, over the %d limit", what, n, MaxLabelLength)
		}
	}
	return nil
}

// checkJSONShape bounds the nesting and the array sizes of raw JSON that
// the platform stores as it came.
func checkJSONShape(what string, raw api.Raw) error {
	if raw.IsZero() {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	// open holds, for each container being read, whether it is an array
	// and how many items it had so far.
	type container struct {
		array bool
		items int
	}
	var open []container
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return api.Errorf(api.CodeInvalidArgument, "%s is not valid JSON", what)
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			open = open[:len(open)-1]
			continue
		}
		if n := len(open); n > 0 && open[n-1].array {
			if open[n-1].items++; open[n-1].items > MaxJSONArray {
				return api.Errorf(api.CodeInvalidArgument, "%s has an array of more than %d items", what, MaxJSONArray)
			}
		}
		if d, ok := tok.(json.Delim); ok {
			if open = append(open, container{array: d == '['}); len(open) > MaxJSONDepth {
				return api.Errorf(api.CodeInvalidArgument, "%s is nested deeper than %d levels", what, MaxJSONDepth)
			}
		}
	}
}
