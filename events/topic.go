package events

import (
	"fmt"
	"regexp"
	"strings"
)

// Topic is what positions are about, as a lowercase slug
// ("gaza-ceasefire"). The zero Topic is "no topic".
type Topic struct{ slug string }

// MaxTopicLen is the longest topic slug accepted.
const MaxTopicLen = 64

var topicRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ParseTopic accepts a slug. Upper case, spaces and underscores are folded
// ("Gaza ceasefire" becomes "gaza-ceasefire"); anything else that is not
// a letter, digit or single hyphen is an error.
func ParseTopic(s string) (Topic, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.Join(strings.FieldsFunc(k, func(r rune) bool { return r == ' ' || r == '_' || r == '\t' }), "-")
	switch {
	case k == "":
		return Topic{}, fmt.Errorf("is empty: want a lowercase slug such as gaza-ceasefire")
	case len(k) > MaxTopicLen:
		return Topic{}, fmt.Errorf("is %d bytes long: at most %d", len(k), MaxTopicLen)
	case !topicRE.MatchString(k):
		return Topic{}, fmt.Errorf("%q is not a topic slug: want lowercase letters, digits and single hyphens, such as gaza-ceasefire", s)
	}
	return Topic{k}, nil
}

// MustTopic is ParseTopic for constants.
func MustTopic(s string) Topic {
	t, err := ParseTopic(s)
	if err != nil {
		panic(err)
	}
	return t
}

// String returns the slug.
func (t Topic) String() string { return t.slug }

// IsZero reports whether t is the zero Topic.
func (t Topic) IsZero() bool { return t.slug == "" }

// MarshalText encodes the slug.
func (t Topic) MarshalText() ([]byte, error) { return []byte(t.slug), nil }

// UnmarshalText accepts anything ParseTopic accepts.
func (t *Topic) UnmarshalText(b []byte) error {
	v, err := ParseTopic(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
