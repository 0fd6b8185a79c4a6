package events

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Limits on extension attributes.
const (
	MaxExtensions      = 32   // extension attributes on one event
	MaxExtensionLen    = 1024 // bytes of one string value
	MaxAttributeName   = 20   // characters of an attribute name, as CloudEvents recommends
	attributeNameRules = "lowercase letters a-z and digits 0-9 only, at most 20 characters"
)

// The attributes of the CloudEvents envelope this package reads itself;
// every other valid name is an extension.
var contextAttributes = []string{"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "schemaversion", "data"}

// IsContextAttribute reports whether name is one of the attributes the
// envelope reads itself (specversion, id, …, schemaversion, data), not
// an extension.
func IsContextAttribute(name string) bool { return slices.Contains(contextAttributes, name) }

// ValidAttributeName checks a CloudEvents attribute name: lowercase
// letters a-z and digits 0-9 (the specification's rule), and at most 20
// characters (its recommendation, which stancewatch holds to). The error
// says what is wrong in words.
func ValidAttributeName(name string) error {
	if name == "" {
		return fmt.Errorf("an empty attribute name: want %s", attributeNameRules)
	}
	if i := strings.IndexFunc(name, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }); i >= 0 {
		return fmt.Errorf("%q is not a CloudEvents attribute name (%q at %d): want %s", name, name[i:i+1], i, attributeNameRules)
	}
	if len(name) > MaxAttributeName {
		return fmt.Errorf("%q is %d characters long: want %s", name, len(name), attributeNameRules)
	}
	return nil
}

// extensionValue checks one extension attribute's value: a string, an
// int32 (CloudEvents' Integer) or a bool.
func extensionValue(v any) error {
	switch x := v.(type) {
	case string:
		if len(x) > MaxExtensionLen {
			return fmt.Errorf("is %d bytes long: at most %d", len(x), MaxExtensionLen)
		}
	case bool:
	case int32:
	case int64:
		if x < math.MinInt32 || x > math.MaxInt32 {
			return fmt.Errorf("%d is out of the range of a CloudEvents Integer (32 bits)", x)
		}
	case int:
		if x < math.MinInt32 || x > math.MaxInt32 {
			return fmt.Errorf("%d is out of the range of a CloudEvents Integer (32 bits)", x)
		}
	default:
		return fmt.Errorf("is a %T: want a string, an integer or a boolean", v)
	}
	return nil
}

func validateExtensions(ext map[string]any, f *fieldErrors) {
	if len(ext) > MaxExtensions {
		f.add("extensions", "%d extension attributes: at most %d", len(ext), MaxExtensions)
	}
	for _, name := range sortedKeys(ext) {
		if err := ValidAttributeName(name); err != nil {
			f.add(name, "%v", err)
			continue
		}
		if IsContextAttribute(name) {
			f.add(name, "is a context attribute, not an extension")
			continue
		}
		if err := extensionValue(ext[name]); err != nil {
			f.add(name, "%v", err)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
