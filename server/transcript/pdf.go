package transcript

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// RenderPDF writes t as an A4 PDF to w. It uses the PDF core fonts, which
// cover Windows-1252 only: characters outside it (emoji, CJK, most
// non-Latin scripts) are shown as '?' rather than failing, and the plain
// text of Text keeps them intact.
func RenderPDF(w io.Writer, t Transcript) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := cp1252(pdf)
	l := t.labels()
	title, header := t.Header()

	pdf.SetTitle(title, true)
	pdf.SetAuthor(t.CompanyName, true)
	pdf.SetCreator("headless-go platform", true)
	if d := firstTime(t); !d.IsZero() {
		// A fixed date keeps two renders of one transcript identical.
		pdf.SetCreationDate(d)
		pdf.SetModificationDate(d)
	}
	// Sorted font and resource dictionaries make the output reproducible.
	pdf.SetCatalogSort(true)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(120, 120, 120)
		pdf.CellFormat(0, 6, tr(fmt.Sprintf("%s %d/{nb} - %s %d", l.page, pdf.PageNo(), l.chat, t.ChatID)), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(0, 8, tr(title), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.SetTextColor(80, 80, 80)
	for _, h := range header {
		pdf.MultiCell(0, 5, tr(h), "", "L", false)
	}
	pdf.Ln(4)

	entries := t.Entries()
	if len(entries) == 0 {
		pdf.SetTextColor(0, 0, 0)
		pdf.MultiCell(0, 5, tr(l.noMessages), "", "L", false)
	}
	for _, e := range entries {
		pdf.SetFont("Helvetica", "B", 10)
		pdf.SetTextColor(30, 30, 30)
		head := e.Author
		if e.Time != "" {
			head = e.Time + "  " + head
		}
		pdf.MultiCell(0, 5, tr(head), "", "L", false)
		pdf.SetFont("Helvetica", "", 10)
		pdf.SetTextColor(0, 0, 0)
		for _, line := range e.Lines {
			pdf.SetX(24)
			pdf.MultiCell(0, 5, tr(line), "", "L", false)
		}
		pdf.Ln(2)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("render transcript pdf: %w", err)
	}
	return nil
}

func firstTime(t Transcript) time.Time {
	if !t.EndedAt.IsZero() {
		return t.EndedAt
	}
	return t.StartedAt
}

// cp1252 returns a function that makes any UTF-8 string printable with the
// core fonts: Windows-1252 characters are translated, control characters
// are dropped, and anything else becomes one '?' per visible symbol (an
// emoji sequence joined with U+200D, its variation selectors and skin tones
// count as one).
func cp1252(pdf *fpdf.Fpdf) func(string) string {
	translate := pdf.UnicodeTranslatorFromDescriptor("")
	known := map[rune]bool{}
	return func(s string) string {
		var b strings.Builder
		joined := false // the previous rune was a zero-width joiner
		for _, r := range s {
			wasJoined := joined
			joined = false
			switch {
			case r == '\n' || r == '\t':
				b.WriteRune(r)
			case r == 0x200D:
				joined = true
			case (r >= 0xFE00 && r <= 0xFE0F) || (r >= 0x1F3FB && r <= 0x1F3FF):
				// variation selectors and skin tones modify the previous symbol
			case unicode.IsControl(r):
			case r < 0x80:
				b.WriteRune(r)
			default:
				ok, seen := known[r]
				if !seen {
					ok = translate(string(r)) != "."
					known[r] = ok
				}
				switch {
				case ok:
					b.WriteRune(r)
				case !wasJoined:
					b.WriteByte('?')
				}
			}
		}
		return translate(b.String())
	}
}
