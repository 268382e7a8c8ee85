package media

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Upload URLs are valid this long unless Uploader.TTL says otherwise, as
// documented.
const DefaultTTL = 5 * time.Minute

// Algorithm is the x-amz-algorithm value of our policies. The name follows
// S3 so that clients written for S3 pass the fields back unchanged, but the
// signature is simpler than AWS SigV4: x-amz-signature is the lower-case hex
// HMAC-SHA256 of the base64 policy string, keyed directly with
// Uploader.Secret (no date/region/service key derivation).
const Algorithm = "AWS4-HMAC-SHA256"

// Form field names of a presigned upload.
const (
	FieldKey           = "key"
	FieldSuccessStatus = "success_action_status"
	FieldContentType   = "Content-Type"
	FieldCacheControl  = "Cache-Control"
	FieldACL           = "acl"
	FieldPolicy        = "policy"
	FieldCredential    = "x-amz-credential"
	FieldAlgorithm     = "x-amz-algorithm"
	FieldDate          = "x-amz-date"
	FieldSignature     = "x-amz-signature"
	// FieldFile is the file part; it must come after every other field.
	FieldFile = "file"
)

// Presigned is the documented answer of the "presigned upload URL"
// endpoints: POST the fields, then the file as the last part "file", as
// multipart/form-data to URL.
type Presigned struct {
	URL    string            `json:"url"`
	Fields map[string]string `json:"fields"`
}

// Policy is a verified upload policy.
type Policy struct {
	Expiration    time.Time
	Key           string
	ContentType   string
	MinBytes      int64
	MaxBytes      int64
	SuccessStatus int
}

// Uploader issues presigned uploads and, as an http.Handler, receives them
// into Store. Its fields are set once before use.
type Uploader struct {
	// Store receives the files.
	Store *Store
	// Secret signs and verifies policies. It never leaves the server.
	Secret []byte
	// URL is the absolute URL where the Uploader is served; Presign returns
	// it.
	URL string
	// TTL is how long a presigned upload stays valid; <= 0 means
	// DefaultTTL.
	TTL time.Duration
	// Now is the clock that judges expiry; nil means time.Now.
	Now func() time.Time
	// OnUpload, if set, is called after each stored upload.
	OnUpload func(Info)
}

// Limits of the non-file part of an upload form.
const (
	maxFieldBytes = 16 << 10
	maxFields     = 64
	formOverhead  = 1 << 20
)

// Presign returns a presigned upload of one file of kind, with a fresh key
// under keyPrefix (for instance "chats/42/photos"), valid TTL from now.
func (u *Uploader) Presign(kind Kind, keyPrefix string, now time.Time) (Presigned, error) {
	rule, ok := RuleFor(kind)
	if !ok {
		return Presigned{}, apiErr(api.CodeInvalidArgument, "unknown upload kind %q", kind)
	}
	if len(u.Secret) == 0 {
		return Presigned{}, apiErr(api.CodeInternal, "media uploader has no secret")
	}
	keyPrefix = strings.Trim(keyPrefix, "/")
	key := randomHex(16) + rule.Ext
	if keyPrefix != "" {
		key = keyPrefix + "/" + key
	}
	if err := ValidKey(key); err != nil {
		return Presigned{}, err
	}
	now = now.UTC()
	date := now.Format("20060102T150405Z")
	fields := map[string]string{
		FieldKey:           key,
		FieldSuccessStatus: "201",
		FieldContentType:   rule.ContentType,
		FieldCacheControl:  "private, max-age=31536000",
		FieldACL:           "private",
		FieldCredential:    "local/" + date[:8] + "/local/media/aws4_request",
		FieldAlgorithm:     Algorithm,
		FieldDate:          date,
	}
	conditions := []any{
		map[string]string{FieldACL: fields[FieldACL]},
		map[string]string{FieldSuccessStatus: fields[FieldSuccessStatus]},
		[]any{"eq", "$" + FieldKey, key},
		[]any{"eq", "$" + FieldContentType, rule.ContentType},
		[]any{"eq", "$" + FieldCacheControl, fields[FieldCacheControl]},
		map[string]string{FieldCredential: fields[FieldCredential]},
		map[string]string{FieldAlgorithm: Algorithm},
		map[string]string{FieldDate: date},
		[]any{"content-length-range", 1, rule.MaxBytes},
	}
	doc, err := json.Marshal(map[string]any{
		"expiration": now.Add(u.ttl()).Format("2006-01-02T15:04:05.000Z"),
		"conditions": conditions,
	})
	if err != nil {
		return Presigned{}, fmt.Errorf("presign: %w", err)
	}
	policy := base64.StdEncoding.EncodeToString(doc)
	fields[FieldPolicy] = policy
	fields[FieldSignature] = u.sign(policy)
	return Presigned{URL: u.URL, Fields: fields}, nil
}

func (u *Uploader) ttl() time.Duration {
	if u.TTL <= 0 {
		return DefaultTTL
	}
	return u.TTL
}

func (u *Uploader) now() time.Time {
	if u.Now != nil {
		return u.Now()
	}
	return time.Now()
}

func (u *Uploader) sign(policy string) string { return hex.EncodeToString(u.mac(policy)) }

func (u *Uploader) mac(policy string) []byte {
	m := hmac.New(sha256.New, u.Secret)
	m.Write([]byte(policy))
	return m.Sum(nil)
}

// Verify checks the form fields of an upload (everything but the file) at
// time now: the signature matches the policy, the policy has not expired,
// every condition holds, and no field is left uncovered by a condition
// (S3's rule, so nothing can be smuggled in). Errors are *api.Error:
// forbidden (403) for a bad, tampered or expired policy, unsupported_type
// (415) when the Content-Type field is not the policy's.
func (u *Uploader) Verify(fields map[string]string, now time.Time) (Policy, error) {
	get := func(name string) (string, bool) {
		for k, v := range fields {
			if strings.EqualFold(k, name) {
				return v, true
			}
		}
		return "", false
	}
	policy, ok := get(FieldPolicy)
	if !ok || policy == "" {
		return Policy{}, forbidden("the upload form has no policy field")
	}
	sig, ok := get(FieldSignature)
	if !ok || sig == "" {
		return Policy{}, forbidden("the upload form has no %s field", FieldSignature)
	}
	if alg, _ := get(FieldAlgorithm); alg != Algorithm {
		return Policy{}, forbidden("%s must be %s", FieldAlgorithm, Algorithm)
	}
	if len(u.Secret) == 0 {
		return Policy{}, apiErr(api.CodeInternal, "media uploader has no secret")
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, u.mac(policy)) {
		return Policy{}, forbidden("the upload signature does not match the policy: it was altered or not issued by this server")
	}
	doc, err := base64.StdEncoding.DecodeString(policy)
	if err != nil {
		return Policy{}, forbidden("the upload policy is not base64")
	}
	var raw struct {
		Expiration string            `json:"expiration"`
		Conditions []json.RawMessage `json:"conditions"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		return Policy{}, forbidden("the upload policy is not valid JSON")
	}
	exp, err := time.Parse(time.RFC3339, raw.Expiration)
	if err != nil {
		return Policy{}, forbidden("the upload policy has no valid expiration")
	}
	if !now.Before(exp) {
		return Policy{}, forbidden("the upload URL expired at %s; request a new one", exp.UTC().Format(time.RFC3339))
	}

	p := Policy{Expiration: exp, SuccessStatus: http.StatusNoContent}
	covered := map[string]bool{}
	check := func(name, op, want string) error {
		covered[strings.ToLower(name)] = true
		have, _ := get(name)
		ok := have == want
		if op == "starts-with" {
			ok = strings.HasPrefix(have, want)
		}
		if ok {
			switch {
			case strings.EqualFold(name, FieldKey):
				p.Key = have
			case strings.EqualFold(name, FieldContentType):
				p.ContentType = have
			case strings.EqualFold(name, FieldSuccessStatus):
				if n, err := strconv.Atoi(have); err == nil && (n == 200 || n == 201 || n == 204) {
					p.SuccessStatus = n
				}
			}
			return nil
		}
		if strings.EqualFold(name, FieldContentType) {
			return apiErr(api.CodeUnsupportedType, "content type %q is not allowed by this upload URL (it takes %s)", have, want)
		}
		return forbidden("form field %s does not match the upload policy", name)
	}
	haveRange := false
	for _, c := range raw.Conditions {
		var obj map[string]string
		if json.Unmarshal(c, &obj) == nil {
			for k, v := range obj {
				if err := check(k, "eq", v); err != nil {
					return Policy{}, err
				}
			}
			continue
		}
		var arr []any
		if json.Unmarshal(c, &arr) != nil || len(arr) != 3 {
			return Policy{}, forbidden("the upload policy has a malformed condition")
		}
		op, _ := arr[0].(string)
		switch op {
		case "eq", "starts-with":
			name, _ := arr[1].(string)
			want, _ := arr[2].(string)
			if !strings.HasPrefix(name, "$") {
				return Policy{}, forbidden("the upload policy has a malformed condition")
			}
			if err := check(name[1:], op, want); err != nil {
				return Policy{}, err
			}
		case "content-length-range":
			lo, ok1 := arr[1].(float64)
			hi, ok2 := arr[2].(float64)
			if !ok1 || !ok2 || lo < 0 || hi < lo {
				return Policy{}, forbidden("the upload policy has a malformed content-length-range")
			}
			p.MinBytes, p.MaxBytes, haveRange = int64(lo), int64(hi), true
		default:
			return Policy{}, forbidden("the upload policy has an unknown condition %q", op)
		}
	}
	if p.Key == "" || p.ContentType == "" || !haveRange {
		return Policy{}, forbidden("the upload policy must fix key, Content-Type and content-length-range")
	}
	for k := range fields {
		lk := strings.ToLower(k)
		if covered[lk] || lk == FieldPolicy || lk == FieldSignature || lk == FieldFile || strings.HasPrefix(lk, "x-ignore-") {
			continue
		}
		return Policy{}, forbidden("form field %s is not allowed by the upload policy", k)
	}
	return p, nil
}

func forbidden(format string, args ...any) *api.Error {
	return apiErr(api.CodeForbidden, format, args...)
}

// MaxUploadBody is the most a presigned upload's body may carry: the
// largest kind's file and the form around it.
func MaxUploadBody() int64 {
	var largest int64
	for _, rule := range rules {
		largest = max(largest, rule.MaxBytes)
	}
	return largest + formOverhead
}

// ServeHTTP receives one presigned upload: multipart/form-data with the
// presigned fields first and the file last, as the "file" part. Fields after
// the file are ignored, as S3 does. On success it answers the policy's
// success_action_status: 201 with {"key","size","content_type"} or an empty
// 200/204. Errors are the JSON {"error": {...}} of api.ErrorResponse:
// 403 forbidden (expired, tampered), 413 payload_too_large, 415
// unsupported_type (wrong type or content), 409 conflict (the key already
// has its file), 400 for a malformed form.
func (u *Uploader) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		e := api.Errorf(api.CodeBadRequest, "uploads are POSTed")
		e.Status = http.StatusMethodNotAllowed
		writeError(w, e)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBody())
	info, status, err := u.receive(r)
	if err != nil {
		writeError(w, err)
		return
	}
	if u.OnUpload != nil {
		u.OnUpload(info)
	}
	if status != http.StatusCreated {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"key": info.Key, "size": info.Size, "content_type": info.ContentType})
}

func (u *Uploader) receive(r *http.Request) (Info, int, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return Info{}, 0, apiErr(api.CodeBadRequest, "an upload must be multipart/form-data: %v", err)
	}
	fields := map[string]string{}
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return Info{}, 0, apiErr(api.CodeBadRequest, "the upload form has no %q part (it must come after the other fields)", FieldFile)
		}
		if err != nil {
			return Info{}, 0, readErr(err)
		}
		name := part.FormName()
		if name == FieldFile {
			return u.receiveFile(part, fields)
		}
		if name == "" {
			continue
		}
		// Field names match case-insensitively, so "Key" repeats "key".
		if seen[strings.ToLower(name)] {
			return Info{}, 0, apiErr(api.CodeBadRequest, "form field %s is repeated", name)
		}
		seen[strings.ToLower(name)] = true
		if len(fields) == maxFields {
			return Info{}, 0, apiErr(api.CodeBadRequest, "the upload form has more than %d fields", maxFields)
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return Info{}, 0, readErr(err)
		}
		if len(b) > maxFieldBytes {
			return Info{}, 0, apiErr(api.CodeBadRequest, "form field %s is longer than %d bytes", name, maxFieldBytes)
		}
		fields[name] = string(b)
	}
}

func (u *Uploader) receiveFile(part *multipart.Part, fields map[string]string) (Info, int, error) {
	p, err := u.Verify(fields, u.now())
	if err != nil {
		return Info{}, 0, err
	}
	if partType := part.Header.Get("Content-Type"); partType != "" {
		mt, _, err := mime.ParseMediaType(partType)
		if err == nil && mt != "application/octet-stream" && !strings.EqualFold(mt, p.ContentType) {
			return Info{}, 0, apiErr(api.CodeUnsupportedType, "the file is %s but this upload URL takes %s", mt, p.ContentType)
		}
	}
	br := bufio.NewReaderSize(part, 4096)
	head, err := br.Peek(SniffLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return Info{}, 0, readErr(err)
	}
	if len(head) == 0 {
		return Info{}, 0, apiErr(api.CodeInvalidArgument, "the file is empty")
	}
	for _, rule := range rules {
		if rule.ContentType == p.ContentType && !rule.Sniff(head) {
			return Info{}, 0, apiErr(api.CodeUnsupportedType, "the file's content is not %s", rule.What)
		}
	}
	info, err := u.Store.Put(p.Key, part.FileName(), p.ContentType, br, p.MaxBytes)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return Info{}, 0, tooLarge(p.MaxBytes)
		}
		return Info{}, 0, err
	}
	if info.Size < p.MinBytes {
		_ = u.Store.Delete(p.Key)
		return Info{}, 0, apiErr(api.CodeInvalidArgument, "the file is smaller than the %d bytes required", p.MinBytes)
	}
	return info, p.SuccessStatus, nil
}

// readErr classifies an error reading the request body.
func readErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return apiErr(api.CodeTooLarge, "the upload is larger than %s", FormatSize(mbe.Limit))
	}
	return apiErr(api.CodeBadRequest, "could not read the upload form: %v", err)
}

// writeError answers err as api.ErrorResponse JSON. Errors that are not
// *api.Error are internal and their text is not shown.
func writeError(w http.ResponseWriter, err error) {
	var ae *api.Error
	if !errors.As(err, &ae) {
		ae = apiErr(api.CodeInternal, "the upload could not be stored")
	}
	status := ae.Status
	if status == 0 {
		status = api.StatusFor(ae.Code)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(ae.Body())
}
