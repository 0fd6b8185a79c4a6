package news

import "testing"

// TestWireStyles: sentences in the styles of UN meetings coverage and the
// news agencies, none taken from the seeds.
func TestWireStyles(t *testing.T) {
	runPatterns(t, []patternCase{
		{name: "meetings coverage tally", text: "The draft resolution received 13 votes in favour, to 1 against (United States), with 1 abstention (United Kingdom).",
			want: []string{"US vote_no", "GB abstain"}},
		{name: "U.S.-sponsored", text: "Russia and China vetoed a U.S.-sponsored resolution on Friday.", pub: "2024-03-23", catalog: true,
			want: []string{"RU veto#S/2024/239", "CN veto#S/2024/239", "US sponsor#S/2024/239"}},
		{name: "the lone veto", text: "The United States cast the lone veto on Tuesday.", pub: "2024-02-21", catalog: true, want: []string{"US veto@2024-02-20#S/2024/173"}},
		{name: "day after the object", text: "The United States vetoed a Security Council resolution on Tuesday that demanded an immediate ceasefire in Gaza.", pub: "2024-02-21",
			catalog: true, want: []string{"US veto@2024-02-20#S/2024/173"}},
		{name: "appositive sponsor", text: "Algeria, the Arab representative on the council, drafted the resolution.", want: []string{"DZ sponsor"}},
		{name: "while the others", text: "Britain abstained, while the 13 other members voted in favour.", want: []string{"GB abstain"}},
		{name: "with … abstaining after a tally", text: "The vote was 13-1, with Britain abstaining.", want: []string{"GB abstain"}},
		{name: "previous resolutions", text: "Washington has vetoed three previous resolutions.", pub: "2024-03-26", want: []string{"US veto@null"}},
		{name: "envoy said the capital", text: "China's envoy Fu Cong said Beijing supported the draft.", want: []string{"CN support"}},
		{name: "ambassador said it would veto", text: "US Ambassador Linda Thomas-Greenfield said Washington would veto the text.", want: nil},
		{name: "three clauses", text: "Twelve members voted in favour, the United States voted against and Britain and Russia abstained.",
			want: []string{"US vote_no", "GB abstain", "RU abstain"}},
		{name: "adopted with one abstaining", text: "The 15-member body adopted the resolution 14-0, with the United States abstaining.", want: []string{"US abstain"}},
		{name: "blocked", text: "The U.S. blocked the resolution.", want: []string{"US veto"}},
		{name: "after it cast its veto", text: "The council failed to adopt the text after Russia cast its veto.", want: []string{"RU veto"}},
		{name: "possessive veto", text: "Russia's veto of the draft angered its authors.", want: []string{"RU veto"}},
		{name: "a no vote on a vetoed draft agrees with the record", text: "On Tuesday the United States voted against the resolution.", pub: "2024-02-21", catalog: true,
			want: []string{"US vote_no@2024-02-20#S/2024/173"}},
		{name: "reported speech, negated", text: "Beijing said it would not support any text that condones the offensive.", want: nil},
		{name: "plans are not positions", text: "France plans to put forward a new draft next week.", want: nil},
		{name: "a question", text: "Will the United States veto the resolution?", want: nil},
	})
}
