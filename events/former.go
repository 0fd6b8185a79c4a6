package events

import "fmt"

// FormerState describes a state that no longer exists but voted in the
// United Nations: the historical record names it, so the closed Country
// type admits it, by a code documented here and nowhere invented.
//
// Four have the alpha-2 code ISO 3166-1 gave them until the state ended
// (ISO 3166-3 lists them as withdrawn, with a four-letter code). Three
// never had a code of their own in ISO 3166-1, because the state that
// continued them kept it (the Federal Republic of Germany's DE, the Yemen
// Arab Republic's YE) or because the state was too short-lived
// (Zanzibar): they get codes from the range ISO 3166-1 leaves to users
// (X A–X Z), so that a vote of the Federal Republic in 1975 is not
// silently counted as a vote of today's Germany.
type FormerState struct {
	Code       string   `json:"code"`                // alpha-2 code used by stancewatch
	Name       string   `json:"name"`                // English short name
	ISO3166_3  string   `json:"iso3166_3,omitempty"` // the four-letter ISO 3166-3 code, "" when ISO assigned none
	Alpha3     string   `json:"alpha3,omitempty"`    // the withdrawn alpha-3 code, "" when none
	From       int      `json:"from"`                // first year of existence as a state
	To         int      `json:"to"`                  // last year
	Successors []string `json:"successors"`          // the states that followed it (codes)
	Note       string   `json:"note"`                // what a reader of the record should know
	aliases    []string // names by which texts call it (never a current state's official name)
}

// formerStates are the former states of the United Nations voting record.
var formerStates = []FormerState{
	{Code: "CS", Name: "Czechoslovakia", ISO3166_3: "CSHH", Alpha3: "CSK", From: 1918, To: 1992, Successors: []string{"CZ", "SK"},
		Note: "UN member 1945–1992; Czechia and Slovakia joined in 1993.", aliases: []string{"Czechoslovakia", "Czechoslovak Socialist Republic", "Czech and Slovak Federative Republic"}},
	{Code: "YU", Name: "Yugoslavia", ISO3166_3: "YUCS", Alpha3: "YUG", From: 1918, To: 2003, Successors: []string{"BA", "HR", "MK", "ME", "RS", "SI"},
		Note: "The Socialist Federal Republic (UN member 1945–1992), then the Federal Republic of Yugoslavia (2000–2003). " +
			"The unvotes dataset keeps this code for Serbia and Montenegro and for Serbia after 2003.",
		aliases: []string{"Yugoslavia", "Socialist Federal Republic of Yugoslavia", "Federal Republic of Yugoslavia"}},
	{Code: "DD", Name: "German Democratic Republic", ISO3166_3: "DDDE", Alpha3: "DDR", From: 1949, To: 1990, Successors: []string{"DE"},
		Note: "East Germany; UN member 1973–1990.", aliases: []string{"German Democratic Republic", "East Germany", "GDR"}},
	{Code: "YD", Name: "Yemen People's Republic", ISO3166_3: "YDYE", Alpha3: "YMD", From: 1967, To: 1990, Successors: []string{"YE"},
		Note:    "South Yemen (People's Democratic Republic of Yemen); UN member 1967–1990.",
		aliases: []string{"Yemen People's Republic", "People's Democratic Republic of Yemen", "South Yemen"}},
	{Code: "XG", Name: "Federal Republic of Germany (1949–1990)", From: 1949, To: 1990, Successors: []string{"DE"},
		Note: "West Germany before unification; UN member 1973–1990. ISO 3166-1 gave it DE, which unified Germany kept; " +
			"the record counts the two apart. stancewatch's code, from the user-assigned range.",
		aliases: []string{"West Germany"}},
	{Code: "XY", Name: "Yemen Arab Republic", From: 1962, To: 1990, Successors: []string{"YE"},
		Note: "North Yemen; UN member (as Yemen) 1947–1990. ISO 3166-1 gave it YE, which unified Yemen kept; " +
			"the record counts the two apart. stancewatch's code, from the user-assigned range.",
		aliases: []string{"Yemen Arab Republic", "North Yemen"}},
	{Code: "XZ", Name: "Zanzibar", From: 1963, To: 1964, Successors: []string{"TZ"},
		Note: "Independent from December 1963 until its union with Tanganyika in April 1964; UN member for those months. " +
			"stancewatch's code, from the user-assigned range.",
		aliases: []string{"Zanzibar", "People's Republic of Zanzibar"}},
}

// FormerStates returns the former states stancewatch admits, by code.
func FormerStates() []FormerState { return append([]FormerState(nil), formerStates...) }

// Former returns what is known of c as a former state, and false for a
// state that exists.
func (c Country) Former() (FormerState, bool) {
	for _, f := range formerStates {
		if f.Code == c.code {
			return f, true
		}
	}
	return FormerState{}, false
}

// addFormerStates puts the former states into the index, before the
// fallback that maps withdrawn codes onto current ones (x/text reads DD as
// DE, which would count East Germany's votes as Germany's).
func (idx *countryIndex) addFormerStates(add func(alias, code string, kind AliasKind)) {
	for _, f := range formerStates {
		if idx.byCode[f.Code] != nil {
			panic(fmt.Sprintf("events: former state %s has the code of a current one", f.Code))
		}
		idx.byCode[f.Code] = &countryInfo{name: f.Name, alpha3: f.Alpha3, names: f.aliases}
		add(f.Code, f.Code, AliasCode)
		if f.Alpha3 != "" {
			add(f.Alpha3, f.Code, AliasCode)
		}
		if f.ISO3166_3 != "" {
			add(f.ISO3166_3, f.Code, AliasCode)
		}
		add(f.Name, f.Code, AliasName)
		for _, n := range f.aliases {
			add(n, f.Code, AliasName)
		}
	}
}
