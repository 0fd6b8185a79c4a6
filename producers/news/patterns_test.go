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

// TestIssuePatternsLists: bulleted lists under a header, glosses in
// lists, "were against".
func TestIssuePatternsLists(t *testing.T) {
	runPatterns(t, []patternCase{
		{name: "bullets under Against:", text: "The resolution was adopted on Friday.\nAgainst:\n- Belarus\n- Syria\n- Eritrea\nThe vote was a blow to Moscow.",
			want: []string{"BY vote_no", "SY vote_no", "ER vote_no"}},
		{name: "bullets under a count header", text: "The following countries abstained:\n- Algeria\n- Angola\n- And Armenia\nThe vote was a blow to Moscow.",
			want: []string{"DZ abstain", "AO abstain", "AM abstain"}},
		{name: "bullets under a header without a colon", text: "Countries that voted against the resolution\n- Russia\n- North Korea\nCountries that abstained\n- China\n- India",
			want: []string{"RU vote_no", "KP vote_no", "CN abstain", "IN abstain"}},
		{name: "bullets after they are:", text: "Three Caribbean nations now officially recognise the State of Palestine. They are:\n- Jamaica\n- Barbados\n- The Dominican Republic\nThe move was welcomed.",
			want: []string{"JM support", "BB support", "DO support"}},
		{name: "bullets with a count", text: "In favour (3):\n• Japan\n• Malta\n• Republic of Korea (South Korea)\nThe text was adopted.",
			want: []string{"JP vote_yes", "MT vote_yes", "KR vote_yes"}},
		{name: "bullets, lowercased", text: "the following voted against :\n- belarus\n- syria\nthe council met again on friday . it was a long day for the diplomats there .",
			want: []string{"BY vote_no", "SY vote_no"}},
		{name: "a line of prose after a header is not an item", text: "Against:\n- Belarus\n- Syria said the vote was held late.",
			want: []string{"BY vote_no"}},
		{name: "a gloss in a list", text: "The following countries abstained: Poland, Republic of Korea (South Korea), Romania and Serbia.",
			want: []string{"PL abstain", "KR abstain", "RO abstain", "RS abstain"}},
		{name: "were against the resolution", text: "The United States and Israel, along with Austria and Paraguay, were against the resolution.",
			want: []string{"US vote_no", "IL vote_no", "AT vote_no", "PY vote_no"}},
		{name: "were against a war is no vote", text: "Both Austria and Paraguay were against the war.", want: nil},
		{name: "a veto from", text: "The Russian draft was defeated by a veto from the US and the UK.", want: []string{"US veto", "GB veto", "RU sponsor"}},
		{name: "an abstention from", text: "The resolution passed with 14 votes in favour and one abstention - from Guyana.", want: []string{"GY abstain"}},
		{name: "a threatened veto from", text: "The draft could face a veto from the US.", want: nil},
	})
}

// TestIssuePatternsOfficials: an official named without the state stands
// for it within the term, and only then.
func TestIssuePatternsOfficials(t *testing.T) {
	runPatterns(t, []patternCase{
		{name: "a minister by name", text: "Blinken welcomed the resolution.", pub: "2024-03-26", want: []string{"US support"}},
		{name: "a president by name, lowercased", text: "erdogan opposed the draft resolution ." + " the council met again on friday . it was a long day for the diplomats there .", pub: "2022-05-18",
			want: []string{"TR oppose"}},
		{name: "a leader out of term", text: "Trump welcomed the resolution.", pub: "2023-03-26", want: nil},
		{name: "a leader in a second term", text: "Trump welcomed the resolution.", pub: "2025-03-26", want: []string{"US support"}},
		{name: "a former leader", text: "Former prime minister Rutte welcomed the resolution.", pub: "2023-03-26", want: nil},
		{name: "no publication date, no term", text: "Macron welcomed the resolution.", want: nil},
		{name: "the word, not the name", text: "The vote was cleverly timed and the US welcomed the resolution.", pub: "2023-03-26", want: []string{"US support"}},
	})
}

// TestIssuePatternsStatements: joint statements in the shapes real copy
// writes them, and back-references to the states just named.
func TestIssuePatternsStatements(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		{name: "in a joint statement, the ministers of", text: "In a joint statement, the foreign ministers of France, Germany and Britain said the sanctions must return.",
			want: []string{"FR support", "DE support", "GB support"}},
		{name: "in a joint statement, lowercased", text: "in a joint statement , the foreign ministers of france , germany and britain said the sanctions must return ." + tail,
			want: []string{"FR support", "DE support", "GB support"}},
		{name: "subject, in a joint statement, said", text: "Japan and South Korea, in a joint statement, condemned the launch.",
			want: []string{"JP support", "KR support"}},
		{name: "the statement, signed by", text: "The statement, signed by Australia, Canada and New Zealand, called for a ceasefire.",
			want: []string{"AU support", "CA support", "NZ support"}},
		{name: "the statement was issued by", text: "The statement was issued by Norway and Iceland on Monday.", want: []string{"NO support", "IS support"}},
		{name: "according to a joint statement by", text: "The talks must resume, according to a joint statement by Egypt, Jordan and Qatar.",
			want: []string{"EG support", "JO support", "QA support"}},
		{name: "joint communique of the leaders of", text: "The joint communiqué of the leaders of Brazil and India called for reform.",
			want: []string{"BR support", "IN support"}},
		{name: "joint declaration from, lowercased", text: "a joint declaration from brazil and india called for reform ." + tail,
			want: []string{"BR support", "IN support"}},
		{name: "one state's statement is no joint statement", text: "In a joint statement, the ministry said it was concerned.", want: nil},
		{name: "a statement not signed", text: "Norway and Iceland may have signed the statement had it been shorter.", want: nil},
		// back-references
		{name: "the two countries", text: "Ireland and Spain announced the step on Monday. The two countries formally recognised the State of Palestine.",
			want: []string{"IE support", "ES support"}},
		{name: "both, lowercased", text: "ireland and spain met on monday . both formally recognised the state of palestine ." + tail,
			want: []string{"IE support", "ES support"}},
		{name: "the three governments", text: "Leaders of Norway, Ireland and Spain met in Brussels. The three governments issued a joint statement.",
			want: []string{"NO support", "IE support", "ES support"}},
		{name: "a count that no list matches", text: "Ireland and Spain met on Monday. The three countries formally recognised the State of Palestine.", want: nil},
		{name: "two new countries", text: "Ireland and Spain met on Monday. Two countries formally recognised the State of Palestine.", want: nil},
	})
}

// TestIssuePatternsSpeakers: positions given through the one who speaks
// for a state, as UN meetings coverage and wire copy write them: a
// possessive or a pronoun after a reporting verb, the first person of a
// quote, a participle that introduces a text, "speaking also for", an
// inverted list, a repeated veto, "only … if".
func TestIssuePatternsSpeakers(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		// "his delegation", "her country" after a reporting verb
		{name: "the representative of, his delegation abstained", text: "Speaking in explanation of vote, the representative of China said his delegation abstained.",
			want: []string{"CN abstain"}},
		{name: "X's delegate, her country voted in favour", text: "Brazil's delegate said her country had voted in favour because the text was balanced.",
			want: []string{"BR vote_yes"}},
		{name: "the speaker for, lowercased", text: "the speaker for algeria said his delegation voted against the draft ." + tail,
			want: []string{"DZ vote_no"}},
		{name: "the representative of, lowercased", text: "the representative of france said her delegation abstained on the text ." + tail,
			want: []string{"FR abstain"}},
		// reported "would", "could": the speaker's will, can
		{name: "said it would vote against", text: "Brazil's delegate said his country would vote against the draft.",
			want: []string{"BR oppose"}},
		{name: "said it would vote in favour, lowercased", text: "the representative of chile said her delegation would vote in favour of the draft ." + tail,
			want: []string{"CL support"}},
		{name: "could not support", text: "The speaker for Algeria said his delegation could not support the draft.",
			want: []string{"DZ oppose"}},
		{name: "would not back, lowercased", text: "japan 's representative said his government would not back the resolution ." + tail,
			want: []string{"JP oppose"}},
		{name: "would not support any text stays a hypothesis", text: "Russia's envoy said his country would not support any text that ignored the facts.", want: nil},
		{name: "would veto stays a threat", text: "Russia's envoy said his delegation would veto the draft.", want: nil},
		// the first person of a quote
		{name: "quote, then the speaker", text: "\u201cWe strongly reject the draft resolution,\u201d the representative of China to the UN said.",
			want: []string{"CN oppose"}},
		{name: "speaker, colon, quote", text: "Mexico's ambassador said: \u201cWe cannot support this text.\u201d",
			want: []string{"MX oppose"}},
		{name: "quote, said, speaker, lowercased", text: "\" we voted in favour of the resolution , \" said ireland 's ambassador ." + tail,
			want: []string{"IE vote_yes"}},
		{name: "a quote without a state", text: "\u201cWe reject the draft,\u201d the Secretary-General said.", want: nil},
		{name: "a quote from a pronoun", text: "\u201cWe reject the draft,\u201d he said.", want: nil},
		// a participle introduces the text
		{name: "introducing the draft, the representative of", text: "Introducing the draft, the representative of Mozambique said the text was long.",
			want: []string{"MZ sponsor"}},
		{name: "X's representative, introducing the resolution,", text: "Malta's representative, introducing the resolution, said it focused on children.",
			want: []string{"MT sponsor"}},
		{name: "on behalf of a group without names", text: "Presenting the text on behalf of the Arab Group, the representative of Jordan said it was overdue.",
			want: []string{"JO sponsor"}},
		{name: "on behalf of named states", text: "Introducing the amendment on behalf of Chile and Peru, Mexico's delegate said it was needed.",
			want: []string{"MX sponsor", "CL sponsor", "PE sponsor"}},
		{name: "introducing, lowercased", text: "introducing the draft resolution , the representative of japan said the mandate must continue ." + tail,
			want: []string{"JP sponsor"}},
		{name: "introducing no text", text: "Introducing himself, the representative of Chile said the text was long.", want: nil},
		// speaking also for
		{name: "speaking also for", text: "The representative of Guyana, speaking also for Mozambique and Sierra Leone, said they voted in favour.",
			want: []string{"GY vote_yes", "MZ vote_yes", "SL vote_yes"}},
		{name: "speaking on behalf of, lowercased", text: "the representative of egypt , speaking on behalf of jordan and qatar , said they voted in favour ." + tail,
			want: []string{"EG vote_yes", "JO vote_yes", "QA vote_yes"}},
		{name: "speaking for a group without names", text: "The representative of Egypt, speaking for the Arab Group, said they voted in favour.",
			want: []string{"EG vote_yes"}},
		// inverted lists
		{name: "against voted:", text: "Against voted: Russia, Belarus, Syria and North Korea.",
			want: []string{"RU vote_no", "BY vote_no", "SY vote_no", "KP vote_no"}},
		{name: "in favour were, lowercased", text: "in favour were chile , peru and mexico ." + tail,
			want: []string{"CL vote_yes", "PE vote_yes", "MX vote_yes"}},
		// a repeated veto: the earlier ones too
		{name: "for the third time", text: "Russia vetoed the draft on Friday, for the third time this year.", pub: "2024-03-23",
			want: []string{"RU veto@2024-03-22", "RU veto@null"}},
		{name: "the fourth time, lowercased", text: "the vote marked the fourth time the us vetoed a security council resolution on gaza ." + tail,
			want: []string{"US veto", "US veto@null"}},
		{name: "its second veto", text: "China cast its second veto of the year on the draft.", want: []string{"CN veto", "CN veto@null"}},
		{name: "for the first time", text: "Russia vetoed the draft for the first time.", want: []string{"RU veto"}},
		// "only … if"
		{name: "would only back if", text: "Turkey would only back the bid if Sweden extradited the suspects.", want: []string{"TR conditional"}},
		{name: "will only support once, lowercased", text: "france will only support the plan once the hostages are freed ." + tail, want: []string{"FR conditional"}},
	})
}

// TestIssuePatternsSubjects: subjects and agents the extractor did not
// reach: a list inside "along with", a bloc before the states after "by",
// "among N nations that", "the only country to", "with X the sole country
// opposing", "the country" and "he" after a reporting verb, "an amendment
// by X".
func TestIssuePatternsSubjects(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		{name: "along with a count and its list", text: "The United States and Israel, along with eight other countries: Austria, Czechia and Paraguay, were against the resolution.",
			want: []string{"US vote_no", "IL vote_no", "AT vote_no", "CZ vote_no", "PY vote_no"}},
		{name: "together with, lowercased", text: "russia and belarus , together with three other states : syria , mali and nicaragua , voted against the resolution ." + tail,
			want: []string{"RU vote_no", "BY vote_no", "SY vote_no", "ML vote_no", "NI vote_no"}},
		{name: "a bloc, then a state, after by", text: "The resolution, proposed by the European Union and Ukraine, was adopted.", want: []string{"UA sponsor"}},
		{name: "a bloc after by, lowercased", text: "the draft was tabled by the african union and kenya ." + tail, want: []string{"KE sponsor"}},
		{name: "among N nations that voted", text: "At a UN meeting on Friday, Japan was among 142 nations that voted in favour of a declaration.", want: []string{"JP vote_yes"}},
		{name: "among the countries that abstained, lowercased", text: "india was among the 43 countries that abstained ." + tail, want: []string{"IN abstain"}},
		{name: "the only country to", text: "Hungary was the only country to oppose the statement.", want: []string{"HU oppose"}},
		{name: "the lone member to, lowercased", text: "the united states was the lone member to vote against the draft ." + tail, want: []string{"US vote_no"}},
		{name: "with X the sole country opposing", text: "The document was backed by 26 member states, with Hungary the sole country opposing it.", want: []string{"HU oppose"}},
		{name: "with X the only member voting against, lowercased", text: "the text passed , with the united states the only member voting against ." + tail, want: []string{"US vote_no"}},
		{name: "the country after a reporting verb", text: "Portugal's Foreign Affairs Minister Paulo Rangel announced on Sunday that the country has now recognised the state of Palestine.",
			want: []string{"PT support"}},
		{name: "the government after a reporting verb, lowercased", text: "ireland 's foreign minister said on tuesday that the government had formally recognised the state of palestine ." + tail,
			want: []string{"IE support"}},
		{name: "he after made clear", text: "Hungarian Prime Minister Viktor Orbán made clear Thursday that he will not support EU accession talks for Ukraine.", pub: "2023-12-14",
			want: []string{"HU oppose"}},
		{name: "she after said, lowercased", text: "brazil 's foreign minister said she would not support the proposal ." + tail, want: []string{"BR oppose"}},
		{name: "an amendment by", text: "The assembly rejected a proposed amendment by the United States.", want: []string{"US sponsor"}},
		{name: "amendments by, lowercased", text: "three amendments by russia were rejected ." + tail, want: []string{"RU sponsor"}},
		{name: "adopted by a vote", text: "The resolution was adopted by a vote of 13 to none.", want: nil},
		{name: "a vote by a state is no text", text: "The vote by Russia surprised no one.", want: nil},
	})
}

// TestIssuePatternsJudgments: what a state's speaker says of a text, a
// declared supporter or opponent, "advocates", "alongside", "opposition
// from".
func TestIssuePatternsJudgments(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		{name: "described the resolution as politicised", text: "Vasily Nebenzia, Russia's UN envoy, described Friday's resolution as \"exceedingly politicised\".", pub: "2024-03-23",
			want: []string{"RU oppose"}},
		{name: "said the draft fell short", text: "Algeria's UN ambassador, Amar Bendjama, said the draft resolution fell short of expectations.",
			want: []string{"DZ oppose"}},
		{name: "stated that the text failed to, lowercased", text: "china stated on tuesday that the resolution failed to fully reflect the views of the region ." + tail,
			want: []string{"CN oppose"}},
		{name: "called the text one-sided", text: "The US mission called the resolution one-sided.", want: []string{"US oppose"}},
		{name: "said the vote was powerful", text: "Britain's foreign secretary said the UN vote was a \"powerful\" demonstration of unity.", want: []string{"GB support"}},
		{name: "called the vote a turning point, lowercased", text: "ireland 's ambassador called the vote a turning point for the region ." + tail, want: []string{"IE support"}},
		{name: "a text that failed to pass is no judgment", text: "The US said the draft failed to pass.", want: nil},
		{name: "did not pass is no judgment", text: "Russia said the resolution did not pass.", want: nil},
		{name: "not balanced", text: "China said the text was not balanced.", want: nil},
		{name: "a judgment by no state", text: "The Secretary-General said the resolution was disappointing.", want: nil},
		// the judgment is in the text's clause, not in a clause about a state after it
		{name: "another state's clause after a comma", text: "Japan's envoy said that while the resolution included edits, Washington could not vote yes because it did not agree with everything.",
			want: nil},
		{name: "another state's clause after a comma, lowercased", text: "the french minister said that although the draft was amended , russia found it one-sided ." + tail,
			want: nil},
		// a vote not cast is no vote and no opposition
		{name: "could not vote yes", text: "Britain's ambassador said the United Kingdom could not vote yes on the draft resolution.", want: nil},
		{name: "could not vote against, lowercased", text: "the german envoy said germany could not vote against the draft resolution ." + tail, want: nil},
		// declared supporters and opponents
		{name: "an ardent supporter of", text: "Norway has been an ardent supporter of a two-state solution.", want: []string{"NO support"}},
		{name: "a staunch opponent of, lowercased", text: "hungary is a staunch opponent of the accession talks ." + tail, want: []string{"HU oppose"}},
		{name: "advocates", text: "Portugal advocates the two-state solution as the only path to peace.", want: []string{"PT support"}},
		{name: "advocated, lowercased", text: "spain advocated a ceasefire in gaza ." + tail, want: []string{"ES support"}},
		// alongside
		{name: "recognising alongside", text: "Portugal was recognising Palestine alongside Britain, Canada and Australia.",
			want: []string{"PT support", "GB support", "CA support", "AU support"}},
		{name: "voted against along with, lowercased", text: "russia voted against the resolution along with belarus and syria ." + tail,
			want: []string{"RU vote_no", "BY vote_no", "SY vote_no"}},
		// opposition from
		{name: "opposition from", text: "Britain recognised Palestine despite strong opposition from Israel.", want: []string{"GB support", "IL oppose"}},
		{name: "objections, lowercased", text: "the resolution was adopted over objections from the united states ." + tail, want: []string{"US oppose"}},
		{name: "the Syrian opposition is no state", text: "The Syrian opposition welcomed the resolution.", want: nil},
		{name: "opposition without a text", text: "The rally drew opposition from Israel.", want: nil},
	})
}

// TestIssuePatternsRecognitions: the shapes recognition stories and
// statements take: a recognition and a two-state support kept apart, a
// restated recognition kept once, "became the latest country to", "in
// May", "announced its decision to", a gloss in brackets before "that", a
// name ending in "-ly", "&" in a name, a list after "along with …:".
func TestIssuePatternsRecognitions(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		{name: "recognition and two-state support apart", text: "Norway formally recognised the State of Palestine. Norway has been an ardent supporter of a two-state solution.",
			want: []string{"NO support", "NO support"}},
		{name: "recognition and a peace plan apart, lowercased", text: "ireland recognised the state of palestine . ireland supports the arab peace plan ." + tail,
			want: []string{"IE support", "IE support"}},
		{name: "a recognition restated is one", text: "Spain recognised the State of Palestine. Spain has recognised a Palestinian state, its minister said.",
			want: []string{"ES support"}},
		{name: "the latest country in May to", text: "Trinidad and Tobago became the latest country in May to announce its decision to formally recognize the State of Palestine.",
			want: []string{"TT support"}},
		{name: "the first nation to, lowercased", text: "barbados became the first nation to recognise the state of palestine ." + tail, want: []string{"BB support"}},
		{name: "announced its decision to veto stays an intention", text: "Russia announced its decision to veto the draft.", want: nil},
		{name: "a gloss in brackets before that", text: "The United Kingdom, Canada and Australia confirmed today (21) that they now formally recognize Palestinian statehood.",
			want: []string{"GB support", "CA support", "AU support"}},
		{name: "a gloss in brackets, lowercased", text: "ireland and spain said on tuesday ( 28 may ) that they recognise the state of palestine ." + tail,
			want: []string{"IE support", "ES support"}},
		{name: "a name ending in -ly", text: "James Cleverly said the UN vote was a powerful demonstration.", pub: "2022-10-12", want: []string{"GB support"}},
		{name: "an adverb ending in -ly still skipped", text: "Britain formally recognised the State of Palestine.", want: []string{"GB support"}},
		{name: "& in a name", text: "Saint Kitts & Nevis recognised the State of Palestine.", want: []string{"KN support"}},
		{name: "& in a name, lowercased", text: "antigua & barbuda recognised the state of palestine ." + tail, want: []string{"AG support"}},
		{name: "along with a count, colon, list, no closing comma", text: "The United States and Israel, along with three other countries: Austria, Liberia, and Paraguay were against the resolution.",
			want: []string{"US vote_no", "IL vote_no", "AT vote_no", "LR vote_no", "PY vote_no"}},
	})
}

// TestIssuePatternsMeetings: how UN meetings coverage names speakers and
// their votes: "NAME (State) said", "Explaining his delegation's
// abstention,", "cast the two negative votes", "the only countries to",
// "said in a statement that it", "told reporters that it".
func TestIssuePatternsMeetings(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		{name: "name (state) said his delegation", text: "Vassily Nebenzia (Russian Federation) said his delegation voted against the draft.", want: []string{"RU vote_no"}},
		{name: "name (state), lowercased", text: "john kelly ( ireland ) said his delegation had abstained ." + tail, want: []string{"IE abstain"}},
		{name: "brackets that are no state", text: "John Kelly (Chairman) said his delegation had abstained.", want: nil},
		{name: "explaining his delegation's abstention", text: "Explaining his delegation's abstention, the representative of Brazil said the text was long.", want: []string{"BR abstain"}},
		{name: "explaining her country's vote against, appositive", text: "Brazil's delegate, explaining her country's vote against, said the text was long.", want: []string{"BR vote_no"}},
		{name: "explaining its negative vote, lowercased", text: "explaining its negative vote , the speaker for mali said the text was long ." + tail, want: []string{"ML vote_no"}},
		{name: "explaining the text is no vote", text: "Explaining the text, the representative of Brazil said it was long.", want: nil},
		{name: "cast the two negative votes", text: "Russia and China cast the two negative votes.", want: []string{"RU vote_no", "CN vote_no"}},
		{name: "cast the only negative vote, lowercased", text: "the united states cast the only negative vote ." + tail, want: []string{"US vote_no"}},
		{name: "the only countries to", text: "Hungary and Poland were the only countries to vote against.", want: []string{"HU vote_no", "PL vote_no"}},
		{name: "said in a statement that it", text: "The Russian Foreign Ministry said in a statement that it firmly rejects the resolution.", want: []string{"RU oppose"}},
		{name: "told reporters that it would, lowercased", text: "china told reporters on monday that it would vote against the draft ." + tail, want: []string{"CN oppose"}},
		{name: "wrote on X that his country", text: "Israel's foreign minister wrote on X that his country rejects the resolution.", want: []string{"IL oppose"}},
	})
}

// TestIssuePatternsFourthRound: the fourth round's fixes for two false
// positives fresh2 showed, each in two wordings, prose and lowercased copy.
func TestIssuePatternsFourthRound(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		// a list that belongs to an earlier verb is not the subject of a later count
		{name: "two members (list) voted … and 13 others abstained", text: "Two members (Russia and China) voted in favor of the text and 13 others abstained.",
			want: []string{"RU vote_yes", "CN vote_yes"}},
		{name: "three countries – list – opposed it while 20 others abstained", text: "Three countries – Belarus, Syria and Eritrea – voted against it, while 20 others abstained.",
			want: []string{"BY vote_no", "SY vote_no", "ER vote_no"}},
		{name: "two members (list) … and 13 others abstained, lowercased", text: "two members ( russia and china ) voted in favor of the text and 13 others abstained ." + tail,
			want: []string{"RU vote_yes", "CN vote_yes"}},
		{name: "count including a list, still read", text: "Five members, including Ghana and Gabon, abstained.", want: []string{"GH abstain", "GA abstain"}},
		// blocking attempts is no veto
		{name: "has blocked all previous attempts", text: "Russia, which holds veto power in the council, has blocked all previous attempts to adopt a statement.", want: nil},
		{name: "vetoed repeated efforts", text: "China has vetoed repeated efforts to censure the government.", want: nil},
		{name: "blocked all previous attempts, lowercased", text: "russia has blocked all previous attempts to adopt a statement or resolution ." + tail, want: nil},
		{name: "blocked the draft, still a veto", text: "Russia blocked the draft resolution on Sudan on Monday.", want: []string{"RU veto"}},
	})
}

// TestIssuePatternsVoteLists: the fifth round's vote lists whose verb is a
// participle, a passive or an idiom, each in two wordings, prose and
// lowercased copy, with traps that must give nothing.
func TestIssuePatternsVoteLists(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		// a demonym standing alone inside a list of states
		{name: "a demonym inside a list, voted in abstention", text: "China, Russian, Ghana and Kenya voted in abstention.",
			want: []string{"CN abstain", "RU abstain", "GH abstain", "KE abstain"}},
		{name: "a demonym inside a list, lowercased", text: "brazil , french and japan voted in favour of the text ." + tail,
			want: []string{"BR vote_yes", "FR vote_yes", "JP vote_yes"}},
		{name: "demonyms before a noun are no list", text: "Russian, Chinese and Ghanaian flags flew as Kenya voted in favour of the text.", want: []string{"KE vote_yes"}},
		// the passive with a list
		{name: "the resolution was opposed by a list", text: "The Assembly adopted the text by 99 votes to 9. The resolution was opposed by Belarus, Burkina Faso, North Korea and Russia.",
			want: []string{"BY vote_no", "BF vote_no", "KP vote_no", "RU vote_no"}},
		{name: "the draft was opposed by, lowercased", text: "the council voted on the draft on monday . the draft was opposed by china and russia ." + tail,
			want: []string{"CN vote_no", "RU vote_no"}},
		{name: "was opposed to is no passive", text: "The proposal was opposed to the wishes of the people.", want: nil},
		{name: "opposed by outside a vote is opposition", text: "The plan to recognise the State of Palestine was opposed by Germany.", want: []string{"DE oppose"}},
		// joined X in …, as did
		{name: "joined X in voting against, as did", text: "China and Laos joined Myanmar in voting against the measure, as did Belarus and Syria.",
			want: []string{"CN vote_no", "LA vote_no", "MM vote_no", "BY vote_no", "SY vote_no"}},
		{name: "joined X in abstaining, lowercased", text: "india joined brazil in abstaining on the resolution ." + tail,
			want: []string{"IN abstain", "BR abstain"}},
		{name: "joins others in recognising", text: "Trinidad and Tobago now joins several other CARICOM countries in formally recognising the State of Palestine.",
			want: []string{"TT support"}},
		{name: "joined a meeting in voting is nothing", text: "Officials joined the meeting in Geneva after voting ended.", want: nil},
		// those in support / among those in opposition
		{name: "those in support included", text: "The draft failed to pass in the vote. Those in support included Algeria, China, Pakistan, and Russia.",
			want: []string{"DZ vote_yes", "CN vote_yes", "PK vote_yes", "RU vote_yes"}},
		{name: "those in favour were, lowercased", text: "the council voted on the draft . those in favour were chile and peru ." + tail,
			want: []string{"CL vote_yes", "PE vote_yes"}},
		{name: "among those in opposition was", text: "The Assembly voted 124 to 14 for the text. Among those in opposition was the United States, Israel's closest ally.",
			want: []string{"US vote_no"}},
		{name: "those in support of peace is no vote", text: "Those in support of peace included many people in Chile.", want: nil},
		// chose to abstain; the only country that abstained
		{name: "chose to abstain", text: "India chose to abstain in the vote on the draft.", want: []string{"IN abstain"}},
		{name: "the only country that abstained", text: "Russia was the only country that abstained during the vote.", want: []string{"RU abstain"}},
		{name: "the only member that has not approved is no stance", text: "Hungary is the only NATO member that has not approved Sweden's application.", want: nil},
		{name: "the only member that voted against, lowercased", text: "the united states was the only member that voted against the draft ." + tail, want: []string{"US vote_no"}},
		// words between "with" and the list
		{name: "with permanent members X and Y abstaining", text: "The Council adopted the resolution with 13 votes in favour, with permanent members Russia and China abstaining.",
			want: []string{"RU abstain", "CN abstain"}},
		{name: "with fellow members X and Y voting against, lowercased", text: "the text was adopted , with council members mali and niger voting against ." + tail,
			want: []string{"ML vote_no", "NE vote_no"}},
	})
}

// TestIssuePatternsSponsorsAndStances: the fifth round's sponsors,
// opposition, support and joint statements, two wordings each, prose and
// lowercased copy, with traps.
func TestIssuePatternsSponsorsAndStances(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		// sponsors
		{name: "brought forward by", text: "The resolution, brought forward by China and Russia, sought more time.", want: []string{"CN sponsor", "RU sponsor"}},
		{name: "initiated by, lowercased", text: "the council voted on a resolution initiated by algeria regarding gaza ." + tail, want: []string{"DZ sponsor"}},
		{name: "brought forward by without a text", text: "The elections were brought forward by Japan.", want: nil},
		{name: "a hyphenated pair before draft", text: "Russia criticised the US-Albanian draft resolution.", want: []string{"US sponsor", "AL sponsor", "RU oppose"}},
		{name: "a hyphenated pair before text, lowercased", text: "the council rejected the french-german text on monday ." + tail, want: []string{"FR sponsor", "DE sponsor"}},
		{name: "a hyphenated pair before talks is no text", text: "The US-Albanian talks ended on Monday.", want: nil},
		{name: "an adjective between article and demonym", text: "The Assembly adopted a nonbinding Palestinian resolution.", want: []string{"PS sponsor"}},
		{name: "a revised French draft, lowercased", text: "the council voted on a revised french draft ." + tail, want: []string{"FR sponsor"}},
		{name: "the penholder, X", text: "The penholder, the United States, ignored calls for amendments.", want: []string{"US sponsor"}},
		{name: "X, the penholder, lowercased", text: "france , the penholder on mali , circulated a text ." + tail, want: []string{"FR sponsor"}},
		// opposition
		{name: "objected to the text", text: "Moscow objected to the language included in the resolution.", want: []string{"RU oppose"}},
		{name: "objects to the draft, lowercased", text: "china objects to the draft on myanmar ." + tail, want: []string{"CN oppose"}},
		{name: "objected to the noise", text: "Sweden objected to the noise in the hall.", want: nil},
		{name: "rejected broadening of the mandate", text: "Russia rejected broadening of the mandate of the mission.", want: []string{"RU oppose"}},
		{name: "opposes extending the mandate, lowercased", text: "china opposes any extension of the mandate ." + tail, want: []string{"CN oppose"}},
		// support
		{name: "called for a two-state solution", text: "Trinidad and Tobago has consistently called for a two-State solution.", want: []string{"TT support"}},
		{name: "calls for a two-state solution, lowercased", text: "ireland calls for a two-state solution ." + tail, want: []string{"IE support"}},
		{name: "called for calm is nothing", text: "Ireland called for calm.", want: nil},
		{name: "remains committed to", text: "New Zealand remains committed to a two-state solution.", want: []string{"NZ support"}},
		{name: "is committed to, lowercased", text: "norway is committed to the two-state solution ." + tail, want: []string{"NO support"}},
		{name: "committed crimes is nothing", text: "Russia committed to nothing on Monday.", want: nil},
		{name: "the first major Western country to recognise", text: "Sweden is the first major Western country to recognise a Palestinian state.", want: []string{"SE support"}},
		{name: "the first EU member state to recognise, lowercased", text: "sweden became the first eu member state to recognise the state of palestine ." + tail, want: []string{"SE support"}},
		{name: "was a vital step", text: "The German representative said the resolution was a vital step toward peace.", want: []string{"DE support"}},
		{name: "an important step, lowercased", text: "the representative of france said the text was an important step ." + tail, want: []string{"FR support"}},
		{name: "no vital step", text: "The German representative said the resolution was not a vital step.", want: nil},
		// joint statements
		{name: "jointly issued by the foreign ministers of", text: "The statement was jointly issued by the high representative of the European Union and the foreign ministers of South Korea, the U.S. and Norway.",
			want: []string{"KR support", "US support", "NO support"}},
		{name: "jointly issued by, lowercased", text: "the statement was jointly issued by the foreign ministers of japan and australia ." + tail,
			want: []string{"JP support", "AU support"}},
		{name: "top diplomats from, according to a joint statement", text: "Top diplomats from Egypt, Jordan and Qatar rejected any forcible displacement during a meeting in Cairo on Saturday, according to a joint statement.",
			want: []string{"EG support", "JO support", "QA support"}},
		{name: "foreign ministers of, said in a joint statement, lowercased", text: "foreign ministers of chile and peru urged restraint , according to a joint statement ." + tail,
			want: []string{"CL support", "PE support"}},
		{name: "diplomats from one state is no joint statement", text: "Top diplomats from Egypt met in Cairo, according to a statement.", want: nil},
	})
}

// TestIssuePatternsDateline: a dateline ("United Nations, July 1 The …")
// is when the story was filed; the vote's day is the one its sentence names.
func TestIssuePatternsDateline(t *testing.T) {
	runPatterns(t, []patternCase{
		{name: "dateline then Thursday", pub: "2022-07-01",
			text: "United Nations, July 1 The Security Council renewed the sanctions. Adopting the resolution by a vote of 10 to none, the Council on Thursday renewed the measures. China and Kenya voted in abstention.",
			want: []string{"CN abstain@2022-06-30", "KE abstain@2022-06-30"}},
		{name: "dateline in capitals then Monday", pub: "2024-03-26",
			text: "WASHINGTON, March 26 The Security Council voted on a draft on Monday. Russia and China vetoed the draft.",
			want: []string{"RU veto@2024-03-25", "CN veto@2024-03-25"}},
		{name: "the Assembly's day dates the list after it", pub: "2017-12-26",
			text: "The UN General Assembly on Sunday urged Myanmar to end the campaign. The text was adopted by 122 to 10. China and Laos joined Myanmar in voting against the measure.",
			want: []string{"CN vote_no@2017-12-24", "LA vote_no@2017-12-24", "MM vote_no@2017-12-24"}},
		{name: "the assembly's day, lowercased", pub: "2024-10-03",
			text: "the general assembly met on tuesday to consider the text . the resolution passed . cuba and iran voted against it . the council met again on friday . it was a long day for the diplomats there .",
			want: []string{"CU vote_no@2024-10-01", "IR vote_no@2024-10-01"}},
		{name: "a date inside the sentence is no dateline", pub: "2024-03-26",
			text: "On March 25, the Security Council voted on the draft. Russia and China vetoed the draft.",
			want: []string{"RU veto@2024-03-25", "CN veto@2024-03-25"}},
	})
}

// TestIssuePatternsSixthRound: the shapes read in the sixth round, in
// made-up sentences of the shapes fresh4 missed.
func TestIssuePatternsSixthRound(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	runPatterns(t, []patternCase{
		{name: "an adverbial inside the verb", text: "Russia and China voted on Thursday against the draft resolution on Idlib.",
			want: []string{"RU vote_no", "CN vote_no"}},
		{name: "an adverbial inside the verb, lowercased", text: "russia and china voted on thursday against the draft resolution ." + tail,
			want: []string{"RU vote_no", "CN vote_no"}},
		{name: "passive with a phrase before by", text: "The text, proposed to the Security Council by Norway, Peru and Kenya, failed.",
			want: []string{"NO sponsor", "PE sponsor", "KE sponsor"}},
		{name: "the proposal by", text: "Eleven members voted in favour of the proposal by Chile, Ghana and Japan.",
			want: []string{"CL sponsor", "GH sponsor", "JP sponsor"}},
		{name: "the proposal by, lowercased", text: "eleven members voted in favour of the proposal by chile , ghana and japan ." + tail,
			want: []string{"CL sponsor", "GH sponsor", "JP sponsor"}},
		{name: "backed by", text: "The draft was presented by Norway and strongly backed by Canada.",
			want: []string{"NO sponsor", "CA support"}},
		{name: "on behalf of a group, then its names", text: "Malta introduced the draft resolution on behalf of the elected members — Chile, Ghana and Japan.",
			want: []string{"MT sponsor", "CL sponsor", "GH sponsor", "JP sponsor"}},
		{name: "co-sponsors after a dash", text: "Speaking for its co-sponsors — Qatar, Morocco and Jordan — the delegate of Egypt asked for a vote.",
			want: []string{"QA sponsor", "MA sponsor", "JO sponsor"}},
		{name: "a count of the body, its list in brackets", text: "Twelve members of the Security Council (Peru, Poland, Kuwait) supported the draft resolution in the vote.",
			want: []string{"PE vote_yes", "PL vote_yes", "KW vote_yes"}},
		{name: "one more country that voted", text: "Bolivia was one more country that voted against the resolution.",
			want: []string{"BO vote_no"}},
		{name: "a count in favour, a state abstaining between dashes", text: "The Council adopted by 14 votes in favour — with the Russian Federation abstaining — a resolution on Sudan.",
			want: []string{"RU abstain"}},
		{name: "opposition named by its state", text: `Its envoy said that "US opposition to this resolution should come as no surprise."`,
			want: []string{"US oppose"}},
		{name: "a veto outside the Council opposes", text: "Hungary's veto of the statement on Venezuela drew criticism.",
			want: []string{"HU oppose"}},
		{name: "a non-permanent member's veto opposes", text: "Hungary vetoed the joint declaration on Monday.",
			want: []string{"HU oppose"}},
		{name: "rejects the admission", text: "Slovakia rejects the admission of Ukraine to NATO.", want: []string{"SK oppose"}},
		{name: "in favour of joining, as long as", text: "Fico said Slovakia was in favour of Ukraine joining the European Union, as long as it meets the conditions.",
			want: []string{"SK conditional"}},
		{name: "criticised a recognition", text: "Egypt and Djibouti strongly criticised the recognition of the breakaway region as an independent state.",
			want: []string{"EG oppose", "DJ oppose"}},
		{name: "condemned by", text: "Spain recognised the State of Palestine, which was condemned by Israel.",
			want: []string{"ES support", "IL oppose"}},
		{name: "a group without names inside a list", text: "The text, which was backed by France, other European countries and Kuwait, won 11 favourable votes.",
			want: []string{"FR support", "KW support"}},
		{name: "included …, such as", text: "The 35 abstentions included a number of countries who were expected to support the move, such as Colombia, Mexico and Rwanda.",
			want: []string{"CO abstain", "MX abstain", "RW abstain"}},
		{name: "a participle after a comma is about the clause's text", text: "Russia vetoed the resolution on the humanitarian situation in the northwest of the country, proposed to the UN Security Council by Norway and Ireland.",
			want: []string{"RU veto", "NO sponsor", "IE sponsor"}},
		{name: "votes in favour from", text: "The draft received five votes in favour from China, Gabon and Mozambique.",
			want: []string{"CN vote_yes", "GA vote_yes", "MZ vote_yes"}},
		{name: "votes for, in brackets", text: "There were four votes for (Chile, Ghana and Peru) and two against (Kenya and Japan).",
			want: []string{"CL vote_yes", "GH vote_yes", "PE vote_yes", "KE vote_no", "JP vote_no"}},
		{name: "a list whose states carry glosses", text: "France, the United Kingdom (UK), and the United States (US) voted against the resolution.",
			want: []string{"FR vote_no", "GB vote_no", "US vote_no"}},
		{name: "a header line over a line of names", text: "The Assembly voted on the text.\n\nNo - 3:\nCanada, Israel, Nauru\n\nAbstain - 4:\nAlbania, Dem. Rep. of Congo, Estonia, Fiji\n",
			want: []string{"CA vote_no", "IL vote_no", "NR vote_no", "AL abstain", "CD abstain", "EE abstain", "FJ abstain"}},
		{name: "they are, then the names", text: "Four countries voted against the resolution. They are: Canada, Israel, Nauru and Palau.",
			want: []string{"CA vote_no", "IL vote_no", "NR vote_no", "PW vote_no"}},
		{name: "joining a state in recognising", text: "Chile and Peru announced Monday they were joining Brazil in recognizing Palestine as an independent state.",
			want: []string{"CL support", "PE support", "BR support"}},
		{name: "regret the decision", text: "Israel said it regretted the decision to recognize Palestine.", want: []string{"IL oppose"}},
		{name: "regret as a feeling", text: `"We regret that the Council was unable to agree on a ceasefire," said the envoy of Norway.`, want: nil},
		{name: "disavowed a plan", text: "Pakistan disavowed the 20-point peace plan on Friday.", want: []string{"PK oppose"}},
		{name: "welcomed by", text: "The peace plan was initially welcomed by Pakistan on Monday.", want: []string{"PK support"}},
		{name: "an ordinal veto", text: "Russia on Tuesday cast its seventh veto to shield the government from Council action.", want: []string{"RU veto", "RU veto@null"}},
		{name: "along with, then all", text: "Along with the U.S., Britain, France and Peru all supported the resolution in the vote on Friday.",
			want: []string{"US vote_yes", "GB vote_yes", "FR vote_yes", "PE vote_yes"}},
		{name: "abstentions were from", text: "The four abstentions during the vote were from Algeria, Brazil and China.",
			want: []string{"DZ abstain", "BR abstain", "CN abstain"}},
		{name: "welcomed the plan, including", text: "Several countries have welcomed the peace plan, including Canada, Qatar and Jordan.",
			want: []string{"CA support", "QA support", "JO support"}},
		{name: "would recognise a contested state", text: "Britain, France and Germany said on Sunday they would recognise Kosovo.",
			want: []string{"GB support", "FR support", "DE support"}},
		{name: "a paragraph without its full stop", text: "It received 12 votes in favour in the 15-member Council after a long debate on the mandate of the mission\nThere are 1,000 police officers, mostly from Kenya, deployed there.",
			want: nil},
	})
}

// TestIssuePatternsNinthRound holds the shapes of the ninth round, read
// from the misses of the development splits: lists that keep their
// states around an item the lexicon does not know or a description of
// a state, votes named by a count, holders of a stance, a phrase between
// a subject and its verb. Made-up sentences, in prose and lowercased.
func TestIssuePatternsNinthRound(t *testing.T) {
	const tail = " the council met again on friday . it was a long day for the diplomats there ."
	const vote = "The Security Council voted on the draft resolution on Tuesday. "
	runPatterns(t, []patternCase{
		{name: "a list with an ambiguous name", text: vote + "Ghana, Peru and Congo abstained.",
			want: []string{"GH abstain", "PE abstain"}},
		{name: "a list with an ambiguous name, lowercased", text: "the security council voted on the draft resolution on tuesday . ghana , peru and congo abstained ." + tail,
			want: []string{"GH abstain", "PE abstain"}},
		{name: "a list with a body that is no state", text: vote + "Chile, Japan and the African Union backed the resolution.",
			want: []string{"CL vote_yes", "JP vote_yes"}},
		{name: "the Republic of Congo and the Democratic Republic of Congo", text: vote + "Chad, the Democratic Republic of Congo and the Republic of Congo abstained.",
			want: []string{"TD abstain", "CD abstain", "CG abstain"}},
		{name: "described states in a list", text: "The General Assembly voted on the text on Tuesday. Voting no were Belarus, the former Soviet republic of Tajikistan and communist Laos, as well as Syria itself.",
			want: []string{"BY vote_no", "TJ vote_no", "LA vote_no", "SY vote_no"}},
		{name: "a clause before a list is not a description", text: vote + "Thirteen members voted in favour of a draft put forward by Malta, while Britain abstained.",
			want: []string{"MT sponsor", "GB abstain"}},
		{name: "votes won, then a colon", text: vote + "The rival draft won only three votes: Gabon, Mozambique and Brazil.",
			want: []string{"GA vote_yes", "MZ vote_yes", "BR vote_yes"}},
		{name: "votes got, then a dash", text: vote + "The motion needed nine votes but got only three — Gabon, Mozambique and Brazil.",
			want: []string{"GA vote_yes", "MZ vote_yes", "BR vote_yes"}},
		{name: "quoted no votes from", text: vote + "It passed 12-2, with two “no” votes from Ghana and Chile, and one abstention.",
			want: []string{"GH vote_no", "CL vote_no"}},
		{name: "abstentions by", text: vote + "It passed with two abstentions by Ghana and Chile.",
			want: []string{"GH abstain", "CL abstain"}},
		{name: "votes from, lowercased", text: "the security council voted on the draft resolution on tuesday . it passed 12 - 2 , with two no votes from ghana and chile ." + tail,
			want: []string{"GH vote_no", "CL vote_no"}},
		{name: "no count, no votes", text: vote + "There were no votes from Ghana on the amendment.", want: nil},
		{name: "opponents of a text, including", text: "Opponents of the resolution -- including Iran, Laos and Cuba -- said the measure was biased.",
			want: []string{"IR oppose", "LA oppose", "CU oppose"}},
		{name: "critics of a plan, such as", text: "Critics of the peace plan, such as Chile and Peru, spoke on Monday.",
			want: []string{"CL oppose@null", "PE oppose@null"}},
		{name: "critics of a person name no text", text: "Critics of the president, including Chile and Peru, spoke on Monday.", want: nil},
		{name: "diplomats from states", text: "Top diplomats from Chile, Peru and Ghana welcomed the ceasefire on Sunday.",
			want: []string{"CL support", "PE support", "GH support"}},
		{name: "a phrase between subject and verb", text: "Russia at a meeting of the Security Council on Monday night vetoed a draft resolution on the mission.",
			want: []string{"RU veto"}},
		{name: "a phrase between subject and verb, lowercased", text: "russia at a meeting of the security council on monday night vetoed a draft resolution on the mission ." + tail,
			want: []string{"RU veto"}},
		{name: "a phrase, then the last country to", text: "Peru on Wednesday became the last South American country to recognize Palestine.",
			want: []string{"PE support"}},
		{name: "an object before a phrase is no subject", text: "A draft by Russia at the meeting on Monday vetoed nothing.", want: []string{"RU sponsor@null"}},
		{name: "joined the majority", text: vote + "China and Russia, unhappy with the delays, joined the majority.",
			want: []string{"CN vote_yes", "RU vote_yes"}},
		{name: "was joined by, in voting against", text: vote + "Russia was joined by Bolivia in voting against the resolution.",
			want: []string{"RU vote_no", "BO vote_no"}},
		{name: "a quoted no while voting", text: vote + "It passed, with Chile voting “yes” and Peru voting “no.”",
			want: []string{"CL vote_yes", "PE vote_no"}},
		{name: "gave its support to", text: "Egypt gave its support to the draft resolution tabled by Serbia.",
			want: []string{"EG support", "RS sponsor"}},
		{name: "a joint statement's states condemn", text: "The joint statement was released on Friday.\n\nForeign ministers of Chile, Peru and Ghana condemned the attacks on aid convoys.",
			pub: "2025-01-10", want: []string{"CL support", "PE support", "GH support"}},
		{name: "after a wire credit", text: "(Bloomberg) -- Foreign ministers of Chile, Peru and Ghana released the outline of a truce plan, according to a joint statement.",
			pub: "2025-01-10", want: []string{"CL support", "PE support", "GH support"}},
		{name: "the count of signatories includes", text: "Twelve countries signed a joint statement on Friday. The 12 countries also include Chile, Peru and Ghana.",
			pub: "2025-01-10", want: []string{"CL support", "PE support", "GH support"}},
		{name: "a reaction to a joint statement", text: "Russia, China and Iran rejected the joint statement on Friday.", pub: "2025-01-10",
			want: []string{"RU oppose", "CN oppose", "IR oppose"}},
		{name: "three states condemn, in an article about a statement", text: "The statement came after a meeting. The US, Japan and South Korea condemned the missile launches on Thursday.",
			pub: "2025-01-10", want: []string{"US support", "JP support", "KR support"}},
		{name: "two states condemn, no joint statement", text: "The statement came after a meeting. Japan and South Korea condemned the missile launches on Thursday.",
			pub: "2025-01-10", want: nil},
		{name: "in addition to, then the subject", text: vote + "In addition to Ghana and Peru, the United Arab Emirates voted against the document.",
			want: []string{"GH vote_no", "PE vote_no", "AE vote_no"}},
		{name: "unlike, then the subject", text: vote + "Unlike Ghana, Peru voted in favour of the text.", want: []string{"PE vote_yes"}},
		{name: "like, lowercased", text: "the security council voted on the draft resolution on tuesday . like ghana , peru abstained ." + tail,
			want: []string{"GH abstain", "PE abstain"}},
		{name: "asked to join an alliance", text: "Sweden and Finland asked to join NATO in May 2022.", want: []string{"SE support", "FI support"}},
		{name: "submitted membership applications", text: "On 18 May, Finland and Sweden submitted their NATO membership applications.",
			pub: "2022-05-20", want: []string{"FI support", "SE support"}},
		{name: "asked to join a meeting is no accession", text: "Chile asked to join the talks in Geneva.", want: nil},
		{name: "a text judged dangerous", text: vote + "Ghana's envoy said the draft was dangerous for the peace talks.", want: []string{"GH oppose"}},
		{name: "a text that would jeopardize", text: vote + "Peru's ambassador warned that the resolution would jeopardize the talks.", want: []string{"PE oppose"}},
		{name: "a text judged timely", text: vote + "Chile's envoy said the resolution was timely and constructive.", want: []string{"CL support"}},
		{name: "a judgment negated", text: vote + "Chile's envoy said the resolution was not dangerous.", want: nil},
		{name: "will not sign a pact", text: "Austria said on Wednesday it would not sign the UN migration pact.", pub: "2018-10-31", want: []string{"AT oppose"}},
		{name: "signed a treaty", text: "Chile signed the treaty on Monday.", pub: "2018-10-31", want: []string{"CL support"}},
		{name: "withdrew from an accord", text: "Hungary withdrew from the accord in July.", pub: "2018-10-31", want: []string{"HU oppose"}},
		{name: "withdrew its troops is no stance", text: "Hungary withdrew its troops from the border in July.", pub: "2018-10-31", want: nil},
		{name: "opponents, which included", text: "Opponents of the resolution, which also included Ghana, Peru and Chile, argued it went too far.",
			want: []string{"GH oppose", "PE oppose", "CL oppose"}},
		{name: "co-authored by", text: "The resolution was co-authored by Ghana, Peru and Chile.", want: []string{"GH sponsor", "PE sponsor", "CL sponsor"}},
		{name: "spearheaded by", text: "The resolution was spearheaded by Italy.", want: []string{"IT sponsor"}},
		{name: "joining the yes camp", text: vote + "It passed, with Paraguay, Chile and Sierra Leone joining the “yes” camp.",
			want: []string{"PY vote_yes", "CL vote_yes", "SL vote_yes"}},
		{name: "following states in backing out of a pact", text: "Austria will follow the United States and Hungary in backing out of a United Nations pact on migration.",
			want: []string{"AT oppose", "US oppose", "HU oppose"}},
		{name: "nine for, so a permanent member's no is a veto", text: "Russia and China vetoed a draft on Tuesday. Nine countries voted for the U.S.-drafted text, two -- including Russia and China -- opposed it in the Security Council.",
			pub: "2008-07-11", want: []string{"RU veto", "CN veto", "US sponsor"}},
		{name: "countries including, in a letter", text: "In a letter to the UN Human Rights Council, European countries including Britain, France and Germany as well as Japan called on China to halt the detentions.",
			pub: "2019-07-10", want: []string{"GB support", "FR support", "DE support", "JP support"}},
		{name: "welcomed the result", text: vote + "Georgia's foreign minister welcomed the result on social media.", want: []string{"GE support"}},
		{name: "a state's decision to recognise", text: "Russia's decision to recognize Abkhazia drew wide criticism.", want: []string{"RU support@null"}},
		{name: "a state's refusal to ratify", text: "Turkey's refusal to ratify Sweden's accession angered its allies.", want: []string{"TR oppose@null"}},
		{name: "said on a day, his country would", text: "Nicaraguan President Daniel Ortega said on September 3 his country would recognize Abkhazia.",
			pub: "2008-09-04", want: []string{"NI support"}},
		{name: "the two, as a subject", text: vote + "Chile and Peru abstained. The two said the draft was biased.",
			want: []string{"CL abstain", "PE abstain", "CL oppose", "PE oppose"}},
		{name: "reported: a state would not approve", text: "The minister said on Tuesday that Bulgaria would not approve the negotiating framework for Albania.",
			pub: "2020-11-18", want: []string{"BG oppose"}},
		{name: "reported: it would reject a bid", text: "The Netherlands said on Monday it would reject Bulgaria's application to join the Schengen area.",
			pub: "2022-12-08", want: []string{"NL oppose", "BG support"}},
		{name: "a hypothesis stays one", text: "Bulgaria would not approve such a framework, analysts believe.", want: nil},
		{name: "put forth a plan", text: "China put forth a 12-point peace plan on Friday.", pub: "2023-02-25", want: []string{"CN sponsor"}},
		{name: "a proposal accepted by", text: "The peace proposal has been accepted by Israel.", want: []string{"IL support@null"}},
		{name: "dismissed the conditions", text: "Germany and France dismissed Moscow's conditions for a ceasefire on Friday.", pub: "2024-06-15",
			want: []string{"DE oppose", "FR oppose"}},
		{name: "raised objections over bids", text: "Turkey raised objections over the two countries' membership bids on Monday.", pub: "2022-05-17",
			want: []string{"TR oppose"}},
		{name: "agents with a relative clause between them", text: "The draft was opposed by France, which is pushing for a reform of procedures, and the Netherlands, Denmark and reportedly Spain.",
			want: []string{"FR oppose@null", "NL oppose@null", "DK oppose@null", "ES oppose@null"}},
		{name: "not keen to recognise", text: "Cyprus, Greece and Romania have indicated they too are not keen to recognise Kosovo.", want: []string{"CY oppose@null", "GR oppose@null", "RO oppose@null"}},
		{name: "its decision to officially recognise", text: "Barbados has announced its decision to officially recognise Palestine as a state.", want: []string{"BB support@null"}},
		{name: "vowed they would", text: "Chile and Peru vowed they would veto any text that mentioned them.", want: nil},
		{name: "a reduced relative far from its text", text: vote + "Ghana voted against the resolution on the ceasefire and the humanitarian situation in the north proposed to the UN Security Council by Chile, Peru and Japan.",
			want: []string{"GH vote_no", "CL sponsor", "PE sponsor", "JP sponsor"}},
		{name: "a state's draft, possessive", text: vote + "Peru's draft resolution won only four votes.", want: []string{"PE sponsor"}},
		{name: "the authors of a text not supported", text: vote + "The Council did not support the Russian-Chinese resolution.", want: []string{"RU sponsor", "CN sponsor"}},
		{name: "no draft has no author", text: vote + "There was no Peruvian draft.", want: nil},
		{name: "a veto of UN membership", text: "In April, Washington vetoed Palestine's full membership in the United Nations.", pub: "2025-07-24", want: []string{"US veto"}},
		{name: "a veto of EU membership is opposition", text: "In April, France vetoed Albania's membership in the European Union.", pub: "2025-07-24", want: []string{"FR oppose"}},
		{name: "quoted no votes without a count", text: vote + "The resolution will be hobbled by “no” votes from Ghana and Chile.", want: []string{"GH vote_no", "CL vote_no"}},
		{name: "a state itself in a list", text: "Nine countries signed the statement on Monday. Among them are: Guatemala itself, Argentina, Ecuador and Uruguay.",
			pub: "2024-07-30", want: []string{"GT support", "AR support", "EC support", "UY support"}},
		{name: "a quoted title before its authors", text: "The Assembly adopted the resolution \"Combating glorification of Nazism, neo-Nazism and other practices that contribute to fueling contemporary forms of racism\" proposed by Russia.",
			want: []string{"RU sponsor@null"}},
		{name: "others were, after a list", text: "The General Assembly voted on Thursday. The countries voting against included China. Others were Iran, communist Cuba and Syria itself.",
			pub: "2022-04-08", want: []string{"CN vote_no", "IR vote_no", "CU vote_no", "SY vote_no"}},
		{name: "others were, after two stances", text: "The General Assembly voted on Thursday. China voted against and Chile abstained. Others were Iran and Cuba.",
			pub: "2022-04-08", want: []string{"CN vote_no", "CL abstain"}},
		{name: "stood alone in voting against", text: "The General Assembly adopted the declaration on Thursday. Chile, Peru and Ghana stood alone in voting against the resolution.",
			pub: "2007-09-14", want: []string{"CL vote_no", "PE vote_no", "GH vote_no"}},
		{name: "has become the first country to recognise", text: "Iceland has become the first western European country to recognise Palestine as an independent state.",
			pub: "2011-11-30", want: []string{"IS support"}},
		{name: "still support a deal", text: "France, Germany and Britain, also signatories, still support the nuclear agreement.", pub: "2019-04-02",
			want: []string{"FR support", "DE support", "GB support"}},
		{name: "will not join a treaty", text: "Japan will not join the Nuclear Weapons Prohibition Treaty, the government said on Monday.", pub: "2020-10-26",
			want: []string{"JP oppose"}},
		{name: "joined a state in voting is no treaty", text: vote + "Laos joined Myanmar in voting against the measure.", want: []string{"LA vote_no", "MM vote_no"}},
		{name: "led by countries such as", text: "The resolution was led by non-nuclear countries such as Austria, Mexico and Ireland.",
			want: []string{"AT sponsor@null", "MX sponsor@null", "IE sponsor@null"}},
		{name: "a plan proposed", text: "Indonesia's defence minister on Saturday proposed a peace plan to end the war.", pub: "2023-06-03", want: []string{"ID sponsor"}},
		{name: "serious concerns about a report", text: "The United States has \"serious concerns\" about the investigator's report.", pub: "2009-09-17", want: []string{"US oppose"}},
		{name: "tabled by, alongside", text: vote + "The resolution was tabled by the United States, alongside fellow permanent members France and the United Kingdom.",
			want: []string{"US sponsor", "FR sponsor", "GB sponsor"}},
		{name: "a statement that the leaders issued", text: "Leaders suspended the talks, says a statement that the leaders of Chile, Peru and Ghana issued here Monday night.",
			pub: "2014-03-25", want: []string{"CL support", "PE support", "GH support"}},
		{name: "a state's request to join", text: "Greece blocked Macedonia's request to join the alliance on Thursday.", pub: "2008-04-03",
			want: []string{"GR oppose", "MK support"}},
		{name: "a state's request for a meeting is no accession", text: "Chile's request to meet the minister was refused on Thursday.", pub: "2008-04-03", want: nil},
		{name: "a long role before a name", text: "Ukrainian Foreign Ministry Spokesperson Oleg Nikolenko dismissed the peace plan on Saturday.", pub: "2023-06-04",
			want: []string{"UA oppose"}},
		{name: "states condemn, present tense", text: "Syria, Russia condemn the General Assembly resolution", want: []string{"SY oppose@null", "RU oppose@null"}},
		{name: "among members described", text: "The Assembly voted on Friday. Japan was among 11 European and Asian members to vote against the resolution.",
			pub: "2012-08-04", want: []string{"JP vote_no"}},
		{name: "imposed its veto on a statement", text: "Hungary imposed its veto on a joint EU statement calling for a ceasefire on Monday.", pub: "2021-05-18", want: []string{"HU oppose"}},
		{name: "cannot say a quoted yes", text: "Turkey cannot say \"yes\" to the membership of Finland and Sweden in NATO, the president said on Monday.", pub: "2022-05-17",
			want: []string{"TR oppose"}},
		{name: "rejects a decision to recognise, far from its object", text: "The United States strongly rejects French President Emmanuel Macron's \"reckless\" decision to recognize the state of Palestine.",
			pub: "2025-07-25", want: []string{"US oppose@null"}},
		{name: "a list ending in other countries", text: vote + "Bosnia and Herzegovina, Greece, Romania and several other countries abstained.",
			want: []string{"BA abstain", "GR abstain", "RO abstain"}},
		{name: "a declaration signed by", text: "The declaration, read out in Lima, was also signed by Argentina, Brazil and Canada.", want: []string{"AR support@null", "BR support@null", "CA support@null"}},
		{name: "campaigned against a membership", text: "Russia also campaigned against Kosovo's membership of UNESCO.", want: []string{"RU oppose@null"}},
		{name: "extended formal recognition", text: "The US government extended formal recognition to South Sudan on Saturday.", pub: "2011-07-10", want: []string{"US support"}},
		{name: "praised by", text: "The peace plan was praised by the United States and Britain.", want: []string{"US support@null", "GB support@null"}},
		{name: "rejected the ruling", text: "China has rejected the ruling of the tribunal.", want: []string{"CN oppose@null"}},
		{name: "not until a clause", text: "Russia said it would not support any such measure until the referenda are held.", pub: "2004-04-21", want: []string{"RU conditional"}},
		{name: "until a day is no condition", text: "The Council extended the mission's mandate, which Chile supported, until June 30.", pub: "2004-04-21", want: nil},
		{name: "sponsors in apposition", text: "The vote was a rebuff to the resolution's sponsors, the United States and Britain, who wanted a strong signal.",
			want: []string{"US sponsor@null", "GB sponsor@null"}},
		{name: "confirmed its support for", text: "The foreign ministry in Lima confirmed its support for Finland's NATO membership bid.",
			want: []string{"PE support"}},
	})
}

// TestIssuePatternsTenthRound: shapes of stated positions outside votes
// that unseen copy (fresh11) showed the reader missing, in made-up
// sentences of the same shapes.
func TestIssuePatternsTenthRound(t *testing.T) {
	const vote = "The Security Council voted on the draft resolution on Tuesday. "
	runPatterns(t, []patternCase{
		{name: "a second verb phrase shares the subject", text: "Chile vowed on Monday to protect its waters and recalled its ambassador to Peru.",
			want: []string{"CL oppose"}},
		{name: "a second verb phrase, lowercased", text: "chile vowed on monday to protect its waters and recalled its ambassador to peru . the talks went on ." + " it was a long day .",
			want: []string{"CL oppose"}},
		{name: "a state between the two verbs may be the subject", text: "Chile said on Monday that Peru had broken the accord and recalled its ambassador.",
			want: nil},
		{name: "an infinitive's second verb is not the subject's", text: "Chile urged Peru on Monday to halt the drills and accept the plan.",
			want: nil},
		{name: "coordinated officials", text: "Chilean President Gabriel Boric and Peruvian Foreign Minister Ana Gervasi signed a joint declaration on Friday.",
			want: []string{"CL support", "PE support"}},
		{name: "a speaker's role after the name", text: vote + "“We abstained,” said Ana Torres, the Chilean ambassador, on Tuesday.",
			want: []string{"CL abstain"}},
		{name: "a reiterated opposition with an adjective", text: "Ghana reiterated on Monday its firm opposition to the annexation.",
			want: []string{"GH oppose"}},
		{name: "support with two adjectives for a mediation", text: "Kenya on Monday expressed its full and unwavering support for the mediation.",
			want: []string{"KE support"}},
		{name: "rejecting an intervention", text: "Algeria on Saturday rejected any military intervention in Niger.",
			want: []string{"DZ oppose"}},
		{name: "a state criticised is no critic", text: "Belarus was also criticised on Monday for its role in the invasion.",
			want: nil},
		{name: "a newspaper named after a state", text: "(APP / Pakistan Point News) The Assembly voted on Wednesday to condemn the embargo on the island.",
			want: nil},
		{name: "followed suit", text: "Spain recognised the State of Palestine on Tuesday. Ireland followed suit on Tuesday.",
			want: []string{"ES support", "IE support"}},
		{name: "would not follow suit", text: "Spain recognised the State of Palestine on Tuesday. Germany said on Tuesday it would not follow suit.",
			want: []string{"ES support", "DE oppose"}},
		{name: "followed suit with nothing before", text: "Ireland followed suit on Tuesday.", want: nil},
		{name: "joined in a triple veto", text: "Britain and France joined the United States in a triple veto of the draft resolution on Saturday.",
			want: []string{"GB veto", "FR veto", "US veto"}},
		{name: "joined in vetoing", text: "Britain joined France in vetoing the draft resolution on Saturday.",
			want: []string{"GB veto", "FR veto"}},
		{name: "a veto not joined is read as before", text: "The double veto on Saturday angered many.", want: nil},
		{name: "officials as the agents of a passive", text: "The accord was signed on Monday by Ethiopian Prime Minister Abiy Ahmed and Somaliland leader Muse Bihi Abdi.",
			want: []string{"ET support"}},
		{name: "severed ties", text: "Qatar severed diplomatic ties with Iran on Monday.", want: []string{"QA oppose"}},
		{name: "a violation of the charter", text: "Iraq on Thursday called the resolution a violation of the UN Charter.",
			want: []string{"IQ oppose"}},
	})
}
