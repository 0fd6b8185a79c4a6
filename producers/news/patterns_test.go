package news

import "testing"

// TestIssuePatterns: the shapes issue 17 lists, in made-up sentences, in
// prose and in lowercased, space-tokenised wire copy.
func TestIssuePatterns(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		// named lists after a verb or a noun
		{name: "those voting against included", text: "Those voting against included Norway, Chile, and the Philippines.",
			want: []string{"NO vote_no", "CL vote_no", "PH vote_no"}},
		{name: "those voting against included, lowercased", text: "those voting against included norway , chile , and the philippines ." + tail,
			want: []string{"NO vote_no", "CL vote_no", "PH vote_no"}},
		{name: "abstaining were", text: "Abstaining were Kenya and Ghana.", want: []string{"KE abstain", "GH abstain"}},
		{name: "among the abstentions", text: "The text was adopted by 120 votes to 14, with Peru, Iceland and Japan among the 45 abstentions.",
			want: []string{"PE abstain", "IS abstain", "JP abstain"}},
		{name: "among those to abstain", text: "China, Iraq and India were among those to abstain on the issue.",
			want: []string{"CN abstain", "IQ abstain", "IN abstain"}},
		{name: "count that voted, include", text: "The 14 countries that voted against the resolution include Israel, Fiji and Tonga.",
			want: []string{"IL vote_no", "FJ vote_no", "TO vote_no"}},
		{name: "count, dash list", text: "141 nations voted in favour, while just three – Belarus, Syria and Eritrea – opposed it.",
			want: []string{"BY vote_no", "SY vote_no", "ER vote_no"}},
		{name: "count, list after the object", text: "Ten members voted for the resolution - the UK, France, Japan and Malta.",
			want: []string{"GB vote_yes", "FR vote_yes", "JP vote_yes", "MT vote_yes"}},
		{name: "colon after a count", text: "The following countries abstained: Albania, Canada and Sweden.",
			want: []string{"AL abstain", "CA abstain", "SE abstain"}},
		{name: "with … opposed", text: "The vote was 187 in favour, with the United States and Israel opposed, and Moldova abstaining.",
			want: []string{"US vote_no", "IL vote_no", "MD abstain"}},
		{name: "as did", text: "Britain voted in favour, as did the UAE.", want: []string{"GB vote_yes", "AE vote_yes"}},
		{name: "among the nations voting", text: "Uzbekistan was among the 120 nations voting in favour of the resolution.", want: []string{"UZ vote_yes"}},
		{name: "supported the document in a vote story", text: "Russia vetoed the draft. Albania, Ireland and Kenya supported the document.",
			want: []string{"RU veto", "AL vote_yes", "IE vote_yes", "KE vote_yes"}},
		// signatories
		{name: "leaders of … issued a joint statement", text: "The leaders of Spain, Ireland and Norway issued a joint statement backing the plan.",
			want: []string{"ES support", "IE support", "NO support"}},
		{name: "said in a joint statement", text: "Canada, Australia and New Zealand said in a joint statement that a ceasefire was needed.",
			want: []string{"CA support", "AU support", "NZ support"}},
		{name: "count including … published", text: "Twenty-five countries, including Britain, France and Japan, published a joint statement.",
			want: []string{"GB support", "FR support", "JP support"}},
		{name: "demonyms before a role", text: "The Japanese, U.S. and South Korean foreign ministers released a joint statement.",
			want: []string{"JP support", "US support", "KR support"}},
		{name: "joint statement, lowercased", text: "canada , australia and new zealand issued a joint statement on tuesday ." + tail,
			want: []string{"CA support", "AU support", "NZ support"}},
		// recognition and membership
		{name: "formally recognised", text: "Portugal formally recognised the State of Palestine.", want: []string{"PT support"}},
		{name: "recognised, lowercased", text: "portugal formally recognised the state of palestine ." + tail, want: []string{"PT support"}},
		{name: "will recognise, an announcement", text: "Malta said it will recognize a Palestinian state.", want: []string{"MT support"}},
		{name: "will not recognise", text: "Japan will not recognise a Palestinian state for now.", want: []string{"JP oppose"}},
		{name: "expected to recognise", text: "Slovenia is expected to recognize Palestine.", want: nil},
		{name: "recognised by, including", text: "Palestine has been recognised by ten states, including Ireland and Spain.",
			want: []string{"IE support", "ES support"}},
		{name: "ratified the accession", text: "Hungary's parliament ratified Sweden's accession to NATO.", want: []string{"HU support"}},
		// vetoes and votes on any crisis, sponsors
		{name: "blocked a Council draft", text: "Russia blocked the draft resolution on Sudan.", want: []string{"RU veto"}},
		{name: "penholders", text: "The draft, put forward by Japan and Malta, was adopted.", want: []string{"JP sponsor", "MT sponsor"}},
		{name: "co-sponsored by a count including", text: "The resolution was co-sponsored by 40 countries including Chile.", want: []string{"CL sponsor"}},
		{name: "a Turkish veto of an accession is opposition", text: "Macron hoped that the Turkish veto on NATO's expansion would be lifted.", want: nil},
		// opposition without a vote, conditions
		{name: "cannot support", text: "Britain cannot support Moscow's proposal.", want: []string{"GB oppose"}},
		{name: "will not support", text: "Hungary will not support the accession talks.", want: []string{"HU oppose"}},
		{name: "blocked an EU statement", text: "Hungary blocked an EU statement on the war.", want: []string{"HU oppose"}},
		{name: "would approve only if", text: "Ankara would approve the bid only if Stockholm extradited the suspects.", want: []string{"TR conditional"}},
		{name: "support but with conditions", text: "Belgium announced its support for the plan but with conditions.", want: []string{"BE conditional"}},
		{name: "could not support an unconditional ceasefire", text: "The US could not support an unconditional ceasefire.", want: []string{"US conditional"}},
		{name: "would not support stays a hypothesis", text: "The US would not support the resolution.", want: nil},
	})
}
