package news

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/stancewatch/stancewatch/events"
)

// MaxArticleBytes is the largest article read.
const MaxArticleBytes = 8 << 20

// ErrUnreadable is wrapped by every error about an article that cannot be
// read as text.
var ErrUnreadable = errors.New("unreadable article")

// Article is one story: its text, where its body starts, and what its
// header or the command line says about it.
type Article struct {
	File      string      // the name it was read from
	Text      string      // the whole file, header included: offsets are into it
	Body      int         // byte offset where the body starts
	Title     string      // from a "Title:" header line
	Published events.Date // from "Published:" or --published; zero when unknown
	Source    string      // from "Source:" or --source: a URL
}

// Overrides are what the command line says about an article; they win
// over its header.
type Overrides struct {
	Published events.Date
	Source    string
}

// ReadArticle checks that data is text and reads its optional header: a
// block of "Title:", "Published:" and "Source:" lines at the top, ended
// by a blank line.
func ReadArticle(file string, data []byte, o Overrides) (Article, error) {
	if len(data) > MaxArticleBytes {
		return Article{}, fmt.Errorf("%s: %w: %d bytes, at most %d", file, ErrUnreadable, len(data), MaxArticleBytes)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return Article{}, fmt.Errorf("%s: %w: a NUL byte at offset %d: binary, not text", file, ErrUnreadable, i)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return Article{}, fmt.Errorf("%s: %w: not UTF-8 at byte %d", file, ErrUnreadable, off)
	}
	a := Article{File: file, Text: string(data)}
	if strings.HasPrefix(a.Text, "\ufeff") {
		a.Body = 3
	}
	if err := a.readHeader(); err != nil {
		return Article{}, err
	}
	if strings.TrimSpace(a.Text[a.Body:]) == "" {
		return Article{}, fmt.Errorf("%s: %w: no text", file, ErrUnreadable)
	}
	if !o.Published.IsZero() {
		a.Published = o.Published
	}
	if o.Source != "" {
		a.Source = o.Source
	}
	if a.Source != "" {
		if u, err := url.Parse(a.Source); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Article{}, fmt.Errorf("%s: source %q is not an http(s) URL", file, a.Source)
		}
	}
	return a, nil
}

// readHeader reads the header block, if the file starts with one.
func (a *Article) readHeader() error {
	pos := a.Body
	line := 0
	var fields []func() error
	for pos < len(a.Text) {
		end := strings.IndexByte(a.Text[pos:], '\n')
		if end < 0 {
			end = len(a.Text) - pos
		}
		raw := strings.TrimRight(a.Text[pos:pos+end], "\r")
		line++
		if strings.TrimSpace(raw) == "" {
			if line == 1 {
				return nil
			}
			for _, f := range fields {
				if err := f(); err != nil {
					return err
				}
			}
			a.Body = pos + end + 1
			if a.Body > len(a.Text) {
				a.Body = len(a.Text)
			}
			return nil
		}
		key, value, ok := strings.Cut(raw, ":")
		if !ok {
			return nil // no header: the first line is text
		}
		value = strings.TrimSpace(value)
		n := line
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			fields = append(fields, func() error { a.Title = value; return nil })
		case "published", "date":
			fields = append(fields, func() error {
				o, err := events.ParseOccurred(value)
				if err != nil {
					return fmt.Errorf("%s:%d: Published: %v", a.File, n, err)
				}
				a.Published = o.Day()
				return nil
			})
		case "source", "url":
			fields = append(fields, func() error { a.Source = value; return nil })
		default:
			return nil // not a header line: the article has no header
		}
		pos += end + 1
	}
	return nil // header lines to the end, no body: left as text
}
