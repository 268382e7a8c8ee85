package media

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"github.com/ccaip/headless-go/api"
)

// Kind is the kind of a presigned upload.
type Kind string

// Upload kinds, as the Chat platform REST API documents them.
const (
	KindPhoto Kind = "photo"
	KindVideo Kind = "video"
)

// Rule is what an upload of one kind may be.
type Rule struct {
	// ContentType is the only content type accepted.
	ContentType string
	// Ext is the file extension given to generated keys.
	Ext string
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// Sniff reports whether the file's first bytes (at least SniffLen of
	// them when the file is that long) look like ContentType.
	Sniff func(head []byte) bool
	// What names the content in error messages.
	What string
}

// SniffLen is how many leading bytes Rule.Sniff needs.
const SniffLen = 12

// The documented limits: photos image/jpeg up to 2 MB, videos video/mp4 up
// to 20 MB.
var rules = map[Kind]Rule{
	KindPhoto: {ContentType: "image/jpeg", Ext: ".jpg", MaxBytes: 2 << 20, Sniff: IsJPEG, What: "a JPEG image"},
	KindVideo: {ContentType: "video/mp4", Ext: ".mp4", MaxBytes: 20 << 20, Sniff: IsMP4, What: "an MP4 video"},
}

// RuleFor returns the rule of kind, and false for an unknown kind.
func RuleFor(kind Kind) (Rule, bool) {
	r, ok := rules[kind]
	return r, ok
}

// IsJPEG reports whether head starts like a JPEG file (FF D8 FF).
func IsJPEG(head []byte) bool { return bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}) }

// IsMP4 reports whether head starts like an ISO media file: a box whose type
// at offset 4 is "ftyp".
func IsMP4(head []byte) bool { return len(head) >= 8 && string(head[4:8]) == "ftyp" }

// DefaultMaxFileBytes is the default limit of a chat or email attachment.
const DefaultMaxFileBytes = 10 << 20

// DefaultProhibited are the file types an end user may not send by default:
// executables and scripts that a recipient could run by opening them.
var DefaultProhibited = []api.FileTypeItem{
	{Extension: "exe", Description: "Windows executable"},
	{Extension: "msi", Description: "Windows installer"},
	{Extension: "bat", Description: "Windows batch file"},
	{Extension: "cmd", Description: "Windows command script"},
	{Extension: "com", Description: "MS-DOS program"},
	{Extension: "scr", Description: "Windows screen saver"},
	{Extension: "pif", Description: "Windows program information file"},
	{Extension: "dll", Description: "Windows library"},
	{Extension: "vbs", Description: "VBScript"},
	{Extension: "ps1", Description: "PowerShell script"},
	{Extension: "jar", Description: "Java archive"},
	{Extension: "js", Description: "JavaScript file"},
	{Extension: "sh", Description: "shell script"},
	{Extension: "apk", Description: "Android package"},
	{Extension: "app", Description: "macOS application"},
	{Extension: "dmg", Description: "macOS disk image"},
}

// FilePolicy is the per-file limit of chat and email attachments: any file
// type that is not prohibited, up to MaxBytes.
type FilePolicy struct {
	// MaxBytes is the largest file accepted; <= 0 means DefaultMaxFileBytes.
	MaxBytes int64
	// Prohibited lists refused extensions (without the dot, any case).
	Prohibited []api.FileTypeItem
}

// DefaultFilePolicy allows files up to 10 MB except DefaultProhibited.
func DefaultFilePolicy() FilePolicy {
	return FilePolicy{MaxBytes: DefaultMaxFileBytes, Prohibited: slices.Clone(DefaultProhibited)}
}

// Limit is the effective MaxBytes, to pass to Store.Put.
func (p FilePolicy) Limit() int64 {
	if p.MaxBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return p.MaxBytes
}

// FileTypes is the prohibited list as getProhibitedFileTypes returns it.
func (p FilePolicy) FileTypes() []api.FileTypeItem {
	if p.Prohibited == nil {
		return []api.FileTypeItem{}
	}
	return slices.Clone(p.Prohibited)
}

// Check accepts or refuses a file by name and size before it is stored
// (size < 0: unknown yet; Store.Put then enforces Limit while copying).
// Every extension of the name counts, so "invoice.exe.pdf" is refused like
// "invoice.exe". Errors: invalid_argument for an empty name or file,
// unsupported_type for a prohibited type, payload_too_large.
func (p FilePolicy) Check(name string, size int64) error {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if strings.TrimSpace(name) == "" || base == "." || base == "/" {
		return apiErr(api.CodeInvalidArgument, "file has no name")
	}
	exts := strings.Split(strings.ToLower(base), ".")[1:]
	for _, ext := range exts {
		ext = strings.TrimSpace(ext)
		for _, pt := range p.Prohibited {
			if ext != "" && ext == strings.ToLower(strings.TrimPrefix(pt.Extension, ".")) {
				return apiErr(api.CodeUnsupportedType, "files of type .%s (%s) may not be sent", ext, pt.Description)
			}
		}
	}
	if size == 0 {
		return apiErr(api.CodeInvalidArgument, "file %q is empty", base)
	}
	if size > p.Limit() {
		return tooLarge(p.Limit())
	}
	return nil
}
