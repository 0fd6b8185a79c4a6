package events

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is a state as an ISO 3166-1 alpha-2 code. The zero Country is
// "no country"; every other value is an officially assigned ISO 3166-1
// code or one of the documented former states (FormerStates), because the
// only way to make one is ParseCountry.
type Country struct{ code string }

// AliasKind says how a text named a country.
type AliasKind uint8

// The ways a text can name a country.
const (
	AliasCode    AliasKind = iota + 1 // US, USA, 840
	AliasName                         // United States, the US
	AliasDemonym                      // American
	AliasMetonym                      // Washington, the Kremlin
)

type countryInfo struct {
	name     string
	alpha3   string
	names    []string
	demonyms []string
	capitals []string
}

type countryIndex struct {
	byCode  map[string]*countryInfo
	aliases map[string]countryAlias // normalised alias -> country
	codes   []string
}

type countryAlias struct {
	code string
	kind AliasKind
}

var countries = sync.OnceValue(buildCountryIndex)

// reservedNotAssigned are codes that x/text accepts as regions but ISO
// 3166-1 only reserves (exceptional reservations), and the user-assigned X
// range. They are not countries here.
var reservedNotAssigned = map[string]bool{"AC": true, "CP": true, "DG": true, "TA": true, "EA": true, "IC": true}

func buildCountryIndex() *countryIndex {
	idx := &countryIndex{byCode: map[string]*countryInfo{}, aliases: map[string]countryAlias{}}
	namer := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if a == 'X' || reservedNotAssigned[code] {
				continue
			}
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize() != r || r.ISO3() == "ZZZ" {
				continue
			}
			name := namer.Name(r)
			if name == "" {
				continue
			}
			idx.byCode[code] = &countryInfo{name: strings.ReplaceAll(name, " & ", " and "), alpha3: r.ISO3()}
			idx.codes = append(idx.codes, code)
		}
	}
	ambiguous := map[string]bool{}
	add := func(alias, code string, kind AliasKind) {
		k := normaliseAlias(alias)
		if k == "" {
			return
		}
		if prev, ok := idx.aliases[k]; ok && prev.code != code {
			ambiguous[k] = true
			return
		}
		if prev, ok := idx.aliases[k]; ok && prev.kind <= kind {
			return
		}
		idx.aliases[k] = countryAlias{code: code, kind: kind}
	}
	for line := range strings.Lines(countryTable) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		info := idx.byCode[parts[0]]
		if info == nil || len(parts) != 4 {
			panic(fmt.Sprintf("events: bad country table line %q", line))
		}
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ";")
		}
		info.names, info.demonyms, info.capitals = split(parts[1]), split(parts[2]), split(parts[3])
		info.name = info.names[0]
	}
	for _, code := range idx.codes {
		info := idx.byCode[code]
		add(code, code, AliasCode)
		add(info.alpha3, code, AliasCode)
		add(info.name, code, AliasName)
		for _, n := range info.names {
			add(n, code, AliasName)
		}
		for _, d := range info.demonyms {
			add(d, code, AliasDemonym)
		}
		for _, c := range info.capitals {
			add(c, code, AliasMetonym)
		}
	}
	idx.addFormerStates(add)
	// Names of the x/text display table, as a fallback for codes the table
	// above does not describe (territories), and the withdrawn code UK.
	for _, code := range idx.codes {
		r, _ := language.ParseRegion(code)
		add(display.English.Regions().Name(r), code, AliasName)
	}
	add("UK", "GB", AliasName)
	for k := range ambiguous {
		delete(idx.aliases, k)
	}
	return idx
}

// aliasFolds is the replacement normaliseAlias makes. A Replacer is
// immutable and safe for concurrent use; building one per call cost more
// than the rest of a lookup.
var aliasFolds = strings.NewReplacer("’", "'", "‘", "'", ".", "", ",", " ", "&", " and ")

// normaliseAlias folds case, curly quotes, dots, commas and a leading
// "the" so that "the U.S." and "US" meet.
func normaliseAlias(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = aliasFolds.Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimPrefix(s, "the ")
	return s
}

// ParseCountry resolves an ISO 3166-1 alpha-2 or alpha-3 code, an English
// name ("United States", "the US", "Russian Federation"), a demonym
// ("American") or a capital used as metonym ("Washington") to a Country.
func ParseCountry(s string) (Country, error) {
	c, _, ok := LookupCountry(s)
	if !ok {
		if strings.TrimSpace(s) == "" {
			return Country{}, fmt.Errorf("is empty: want an ISO 3166-1 country code or name")
		}
		return Country{}, fmt.Errorf("%q is not an ISO 3166-1 country", s)
	}
	return c, nil
}

// MustCountry is ParseCountry for values known at compile time; it panics
// on an unknown country.
func MustCountry(s string) Country {
	c, err := ParseCountry(s)
	if err != nil {
		panic(err)
	}
	return c
}

// LookupCountry is ParseCountry that also says how the text named the
// country. The news extractor uses the kind to weigh metonyms.
func LookupCountry(s string) (Country, AliasKind, bool) {
	idx := countries()
	k := normaliseAlias(s)
	if a, ok := idx.aliases[k]; ok {
		return Country{a.code}, a.kind, true
	}
	// Numeric (UN M.49) codes and withdrawn codes that x/text maps onto
	// a current one.
	if r, err := language.ParseRegion(strings.TrimSpace(s)); err == nil {
		if code := r.Canonicalize().String(); idx.byCode[code] != nil {
			return Country{code}, AliasCode, true
		}
	}
	return Country{}, 0, false
}

// CountryAliases calls fn for every alias of every country, normalised as
// LookupCountry compares them. The order is deterministic.
func CountryAliases(fn func(alias string, c Country, kind AliasKind)) {
	idx := countries()
	keys := make([]string, 0, len(idx.aliases))
	for k := range idx.aliases {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		a := idx.aliases[k]
		fn(k, Country{a.code}, a.kind)
	}
}

// AllCountries returns every current ISO 3166-1 country, ordered by code
// (FormerStates lists the others).
func AllCountries() []Country {
	idx := countries()
	out := make([]Country, len(idx.codes))
	for i, c := range idx.codes {
		out[i] = Country{c}
	}
	return out
}

// String returns the alpha-2 code, or "" for the zero Country.
func (c Country) String() string { return c.code }

// IsZero reports whether c is the zero Country.
func (c Country) IsZero() bool { return c.code == "" }

// Name returns the English short name ("United States").
func (c Country) Name() string {
	if info := countries().byCode[c.code]; info != nil {
		return info.name
	}
	return ""
}

// Alpha3 returns the ISO 3166-1 alpha-3 code ("USA").
func (c Country) Alpha3() string {
	if info := countries().byCode[c.code]; info != nil {
		return info.alpha3
	}
	return ""
}

// MarshalText encodes the alpha-2 code.
func (c Country) MarshalText() ([]byte, error) { return []byte(c.code), nil }

// UnmarshalText accepts anything ParseCountry accepts.
func (c *Country) UnmarshalText(b []byte) error {
	v, err := ParseCountry(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
