package news

import (
	"slices"
	"strings"
	"sync"

	"github.com/stancewatch/stancewatch/events"
)

// form is how a trigger finds its actors.
type form uint8

const (
	fVerb       form = iota + 1 // subject to the left, through a verb chain: "russia and china vetoed"
	fNoun                       // possessor to the left: "the US abstention", "its abstention"
	fParticiple                 // list to the left, after "with" or a comma: "with Russia abstaining"
	fList                       // list to the right in brackets or after a colon: "three abstentions (…)"
)

// objReq is what must follow a trigger for it to be a stance on a text.
type objReq uint8

const (
	objAny             objReq = iota // votes need no object: a vote is on a text
	objMotion                        // a draft, resolution, text, vote
	objMotionOrCF                    // a text, or a ceasefire
	objCeasefire                     // a ceasefire: "called for a ceasefire"
	objCeasefireOrPlan               // a ceasefire, or a solution or plan: "called for a two-state solution"
	objBlock                         // "blocked": a text (veto) or a statement or attempt (oppose)
	objSupportable                   // a text, a ceasefire, statehood, an accession, a plan or solution
	objStatehood                     // recognition: "the State of Palestine", "Palestinian statehood"
	objAccession                     // "approve the bid", "ratify Sweden's accession"
	objEvalNeg                       // a text, then a bad judgment of it: "said the draft fell short"
	objEvalPos                       // a text, then a good one: "said the vote was a powerful demonstration"
	objPact                          // a pact, treaty, deal or plan, or a ceasefire: "signed the treaty"
)

// trigger is a phrase that asserts a stance.
type trigger struct {
	pattern string
	stance  events.Stance
	conf    float64
	form    form
	object  objReq
	passive bool // takes its actors after "by": "was vetoed by Russia"
	// negatable: negation ("will not support", "cannot say yes", "declined
	// to recognise") makes it opposition, and a stated condition ("only
	// if", "without", "with conditions") makes it conditional.
	negatable bool
	// future: an announcement ("will recognise") is the position.
	future bool
	// passiveOnly: read only as a passive with its agents after "by".
	passiveOnly bool
	// headerOnly: read only as the whole header of a list ("No - 9:").
	headerOnly bool
	// nounObject: the object is a thing ("regret the decision"), never a
	// clause ("regret that …").
	nounObject bool
	// suit: the stance is the one taken just before by another state
	// ("Ireland followed suit"; denied, "would not follow suit", opposition).
	suit bool
	// joinOnly: read only after "joined X in" ("joined the US in a triple
	// veto"), where the states who joined share the stance.
	joinOnly bool

	elems [][]string // pattern parsed; an element ending in "?" is optional
	opt   []bool
}

// stanceAdjs qualify a stated support or opposition: "its firm and
// unwavering support for".
const stanceAdjs = "full|strong|firm|unwavering|continued|steadfast|total|complete|categorical|resolute|unequivocal|staunch|unreserved|clear|strongest|firmest|continuing"

// triggers are the stance phrases, longest first where they share a word.
var triggers = []trigger{
	// veto
	{pattern: "used|uses|cast|casts|exercised|exercises|wielded|wields|invoked|invokes|employed|imposed|imposes|placed|places its|their|a|her|his|the lone|sole|only|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|latest? veto power?|powers?", stance: events.Veto, conf: 0.9, form: fVerb},
	{pattern: "vetoed", stance: events.Veto, conf: 0.9, form: fVerb, passive: true},
	{pattern: "vetoes|veto", stance: events.Veto, conf: 0.9, form: fVerb},
	{pattern: "blocked", stance: events.Veto, conf: 0.85, form: fVerb, object: objBlock, passive: true},
	{pattern: "blocks|block", stance: events.Veto, conf: 0.85, form: fVerb, object: objBlock},
	{pattern: "vetoes", stance: events.Veto, conf: 0.85, form: fList},
	// "Britain and France joined the United States in vetoing it", "in a triple veto"
	{pattern: "vetoing", stance: events.Veto, conf: 0.85, form: fVerb, joinOnly: true},
	{pattern: "double|triple|joint? veto", stance: events.Veto, conf: 0.8, form: fVerb, joinOnly: true},
	// vote_no
	{pattern: `voted|votes|vote against`, stance: events.VoteNo, conf: 0.9, form: fVerb},
	{pattern: `voted|votes|vote "? no "?`, stance: events.VoteNo, conf: 0.9, form: fVerb},
	{pattern: "cast|casts a|its|their|the two|three|only|lone? no|negative vote|votes", stance: events.VoteNo, conf: 0.9, form: fVerb},
	{pattern: "cast|casts a|its|their vote|votes against", stance: events.VoteNo, conf: 0.9, form: fVerb},
	{pattern: "voting against", stance: events.VoteNo, conf: 0.85, form: fParticiple},
	{pattern: `voting "? no "?`, stance: events.VoteNo, conf: 0.85, form: fParticiple},
	{pattern: "opposed|opposing", stance: events.VoteNo, conf: 0.8, form: fParticiple},
	{pattern: "against", stance: events.VoteNo, conf: 0.85, form: fList},
	{pattern: "were|was against", stance: events.VoteNo, conf: 0.8, form: fVerb, object: objMotion},
	{pattern: "were|was in favour|favor of", stance: events.VoteYes, conf: 0.8, form: fVerb, object: objMotion},
	// "Slovakia was in favour of Ukraine joining the EU": a standing support, not a vote
	{pattern: "is|are|were|was|remains|remained in favour|favor of", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable, negatable: true},
	// abstain
	{pattern: "abstained|abstains|abstain", stance: events.Abstain, conf: 0.9, form: fVerb},
	{pattern: "voted|votes|vote in abstention", stance: events.Abstain, conf: 0.9, form: fVerb},
	{pattern: "cast|casts an|its|their abstention", stance: events.Abstain, conf: 0.9, form: fVerb},
	{pattern: "abstaining", stance: events.Abstain, conf: 0.85, form: fParticiple},
	{pattern: "abstention", stance: events.Abstain, conf: 0.85, form: fNoun},
	{pattern: "abstentions|abstention|abstaining|abstained", stance: events.Abstain, conf: 0.85, form: fList},
	// vote_yes
	{pattern: "voted|votes|vote in favour|favor of?", stance: events.VoteYes, conf: 0.9, form: fVerb},
	{pattern: `voted|votes|vote "? yes "?`, stance: events.VoteYes, conf: 0.9, form: fVerb},
	{pattern: "voted|votes|vote for", stance: events.VoteYes, conf: 0.85, form: fVerb, object: objMotion},
	{pattern: "cast|casts a|its|their yes|affirmative|favourable|favorable vote|votes", stance: events.VoteYes, conf: 0.9, form: fVerb},
	// "China and Russia … joined the majority"
	{pattern: "joined|joins|join the majority", stance: events.VoteYes, conf: 0.8, form: fVerb},
	{pattern: "sided|sides|side|voted|votes|vote with the majority", stance: events.VoteYes, conf: 0.8, form: fVerb},
	// "with Paraguay and Seychelles joining the “yes” camp"
	{pattern: `joining|joined the "? yes "? camp|side|column`, stance: events.VoteYes, conf: 0.8, form: fParticiple},
	{pattern: `joining|joined the "? no "? camp|side|column`, stance: events.VoteNo, conf: 0.8, form: fParticiple},
	{pattern: "voting in favour|favor|yes", stance: events.VoteYes, conf: 0.85, form: fParticiple},
	{pattern: `voting " yes "?`, stance: events.VoteYes, conf: 0.85, form: fParticiple},
	{pattern: "in favour|favor", stance: events.VoteYes, conf: 0.85, form: fList},
	// a list's header alone: "No - 9:", "Yes (138):", "Abstain:"
	{pattern: "yes", stance: events.VoteYes, conf: 0.8, form: fList, headerOnly: true},
	{pattern: "no", stance: events.VoteNo, conf: 0.8, form: fList, headerOnly: true},
	{pattern: "abstain|abstentions", stance: events.Abstain, conf: 0.8, form: fList, headerOnly: true},
	// "four votes for (China, Gabon, Russia and the UAE)"
	{pattern: "votes|vote for", stance: events.VoteYes, conf: 0.8, form: fList},
	// "Those in support included …", "Among those in opposition was …"
	{pattern: "in support", stance: events.VoteYes, conf: 0.8, form: fList},
	{pattern: "in opposition", stance: events.VoteNo, conf: 0.8, form: fList},
	// sponsor
	{pattern: "drafted|penned|authored|co-authored|coauthored|sponsored|co-sponsored|cosponsored|spearheaded", stance: events.Sponsor, conf: 0.85, form: fVerb, passive: true},
	{pattern: "led", stance: events.Sponsor, conf: 0.75, form: fVerb, object: objMotion, passive: true, passiveOnly: true},
	{pattern: "drafts|pens|authors|sponsors|co-sponsors", stance: events.Sponsor, conf: 0.85, form: fVerb, object: objMotion},
	{pattern: "put|puts forward", stance: events.Sponsor, conf: 0.85, form: fVerb, object: objMotion, passive: true},
	// a plan's author: "China put forth a 12-point peace plan", "the plan unveiled by"
	{pattern: "put|puts forth|forward", stance: events.Sponsor, conf: 0.75, form: fVerb, object: objPact, passive: true},
	{pattern: "unveiled|unveils|launched|launches|floated|floats|proposed|proposes|presented|presents", stance: events.Sponsor, conf: 0.75, form: fVerb, object: objPact, passive: true},
	// a treaty joined, or not: "Japan will not join the Treaty"
	{pattern: "join|joins|joined|joining|accede|accedes|acceded", stance: events.Support, conf: 0.7, form: fVerb, object: objPact, negatable: true, future: true},
	{pattern: "brought|brings|bring forward", stance: events.Sponsor, conf: 0.8, form: fVerb, object: objMotion, passive: true},
	{pattern: "introduced|tabled|proposed|submitted|presented|circulated|initiated", stance: events.Sponsor, conf: 0.8, form: fVerb, object: objMotion, passive: true},
	{pattern: "introduces|tables|proposes|submits|presents|circulates", stance: events.Sponsor, conf: 0.8, form: fVerb, object: objMotion},
	// "its co-sponsors — Qatar, Saudi Arabia and Morocco", "the penholders (Japan, Malta)"
	{pattern: "co-sponsors|cosponsors|sponsors|penholders|co-authors|coauthors", stance: events.Sponsor, conf: 0.8, form: fList},
	// support
	{pattern: "voiced|expressed|voices|expresses|express|reaffirmed|reaffirms|reiterated|reiterates|restated|restates|repeated|repeats|announced|declared|confirmed|confirms|pledged|pledges|signalled|signaled|signals|underlined|underscored|stressed|conveyed its|their " + stanceAdjs + "? and? " + stanceAdjs + "? support|backing for", stance: events.Support, conf: 0.8, form: fVerb, object: objSupportable, negatable: true},
	// "Egypt gave its support to the draft resolution"
	{pattern: "gave|gives|give|lent|lends|lend|offered|offers|threw|throws its|their full|strong|firm? support|backing to|behind|for", stance: events.Support, conf: 0.8, form: fVerb, object: objSupportable, negatable: true},
	// "a draft presented by Britain and strongly backed by the United States"
	{pattern: "backed|supported|endorsed", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable, passive: true, negatable: true},
	{pattern: "accepted", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable, passive: true, passiveOnly: true},
	{pattern: "supports|supported|support|backed|backs|back|endorsed|endorses|endorse", stance: events.Support, conf: 0.8, form: fVerb, object: objSupportable, negatable: true, future: true},
	{pattern: "welcomed|welcomes|welcome|hailed|hails|praised|praises", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable},
	// "welcomed the result", "hailed its adoption": the outcome of a vote
	{pattern: "welcomed|welcomes|welcome|hailed|hails|praised|praises|applauded|applauds|cheered the|its result|outcome|adoption|passage", stance: events.Support, conf: 0.75, form: fVerb},
	{pattern: "called|calls|call for", stance: events.Support, conf: 0.75, form: fVerb, object: objCeasefireOrPlan},
	{pattern: "remains|remained|remain|is|was|are|were|stays|stay firmly|fully|deeply|strongly? committed to", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable, negatable: true},
	{pattern: "reaffirmed|reaffirms|reiterated|reiterates|affirmed|affirms its|their commitment to", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable, negatable: true},
	{pattern: "called|calls|call on", stance: events.Support, conf: 0.7, form: fVerb, object: objCeasefire},
	// "extended formal recognition to it", "granted diplomatic recognition"
	{pattern: "extended|extends|extend|granted|grants|grant formal|diplomatic|official|full? recognition", stance: events.Support, conf: 0.8, form: fVerb, future: true},
	// recognition of a state: support of its statehood
	{pattern: "formally|officially? recognised|recognized|recognises|recognizes|recognise|recognize|recognising|recognizing", stance: events.Support, conf: 0.85, form: fVerb, object: objStatehood, passive: true, negatable: true, future: true},
	// accession: approving or ratifying a candidate's membership
	{pattern: "ratified|ratifies|ratify|approved|approves|approve|accepted|accepts|accept", stance: events.Support, conf: 0.8, form: fVerb, object: objAccession, negatable: true, future: true},
	{pattern: `say|says|said "? yes "?`, stance: events.Support, conf: 0.75, form: fVerb, object: objAccession, negatable: true},
	// "would say no to the membership of Stockholm and Helsinki"
	{pattern: `say|says|said "? no "? to`, stance: events.Oppose, conf: 0.75, form: fVerb, object: objSupportable, future: true},
	// an applicant's own accession: "Sweden and Finland asked to join NATO"
	{pattern: "applied|applies|apply|asked|asks|sought|seeks|seek|requested|requests|bid|bids to join", stance: events.Support, conf: 0.8, form: fVerb, object: objAccession, negatable: true},
	{pattern: "submitted|submits|submit|filed|files|file|lodged|lodges|handed|hands in? its|their nato|eu? membership|accession application|applications|bid|bids|request|requests", stance: events.Support, conf: 0.8, form: fVerb},
	// signatories: each supports what the statement says
	{pattern: "issued|released|published|signed|adopted|joined a|the|their joint|common|trilateral? statement|declaration|communique|communiqué", stance: events.Support, conf: 0.8, form: fVerb},
	{pattern: "issued|released|published|signed|adopted|joined a|the|their joint|common|trilateral letter|appeal|call", stance: events.Support, conf: 0.75, form: fVerb},
	{pattern: "said|says|stated|declared|wrote|warned|urged|demanded|insisted|stressed|added in a|their joint|common statement|declaration|communique", stance: events.Support, conf: 0.8, form: fVerb},
	{pattern: "a|an ardent|staunch|strong|steadfast|longtime|long-time|consistent|firm|vocal|keen|leading|key|major|fervent|committed? supporter|advocate|proponent|backer|champion of", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable},
	{pattern: "supporters|advocates|proponents|backers|champions of", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable},
	{pattern: "advocates|advocated|championed|champions", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable},
	// a judgment of a text by the one who speaks for a state
	{pattern: "said|says|told|stated|added|argued|insisted|described|called|branded|labelled|labeled|termed|dismissed|warned|warns|complained|claimed|remarked|stressed|noted|contended|maintained", stance: events.Oppose, conf: 0.65, form: fVerb, object: objEvalNeg},
	{pattern: "said|says|told|stated|described|called|hailed|stressed|noted|remarked", stance: events.Support, conf: 0.6, form: fVerb, object: objEvalPos},
	// oppose
	{pattern: "a|an vocal|staunch|strong|fierce|longtime|long-time|consistent|firm|leading? opponent|critic of", stance: events.Oppose, conf: 0.75, form: fVerb, object: objSupportable},
	{pattern: "opposition|objections|objection", stance: events.Oppose, conf: 0.6, form: fNoun},
	{pattern: "issued|released|delivered a|an stern|sharp|strong|joint? rebuke|condemnation", stance: events.Oppose, conf: 0.75, form: fVerb},
	{pattern: "voiced|expressed|voices|expresses|express|reaffirmed|reaffirms|reiterated|reiterates|restated|restates|repeated|repeats|declared|stressed|underlined|conveyed its|their " + stanceAdjs + "? and? " + stanceAdjs + "? opposition|rejection|objection|objections to|of", stance: events.Oppose, conf: 0.8, form: fVerb, object: objSupportable},
	// "the resolution was opposed by A, B and C": the passive, with its agents
	{pattern: "opposed", stance: events.Oppose, conf: 0.85, form: fVerb, object: objSupportable, passive: true},
	{pattern: "opposes|opposed|oppose", stance: events.Oppose, conf: 0.85, form: fVerb, object: objSupportable},
	{pattern: "objected|objects|object to", stance: events.Oppose, conf: 0.7, form: fVerb, object: objSupportable},
	{pattern: `raised|raises|voiced|voices|expressed|expresses|has|have|had "? strong|serious|grave? objections|reservations|concerns "? over|about|to|regarding`, stance: events.Oppose, conf: 0.65, form: fVerb, object: objSupportable},
	{pattern: "dismissed|dismisses|rebuffed|rebuffs|spurned|spurns", stance: events.Oppose, conf: 0.7, form: fVerb, object: objSupportable},
	{pattern: "rejected|rejects|reject", stance: events.Oppose, conf: 0.75, form: fVerb, object: objSupportable, future: true},
	// "which was condemned by Israel": the passive, with its agents
	{pattern: "condemned|criticised|criticized|denounced|rejected", stance: events.Oppose, conf: 0.7, form: fVerb, object: objSupportable, passive: true, passiveOnly: true},
	{pattern: "criticised|criticized|criticises|criticizes|criticise|criticize|condemned|condemns|condemn|denounced|denounces|denounce|slammed|slams|slam", stance: events.Oppose, conf: 0.6, form: fVerb, object: objSupportable},
	// regret of a decision or a recognition, disowning a plan
	{pattern: "regret|regrets|regretted|deplored|deplores|deplore", stance: events.Oppose, conf: 0.65, form: fVerb, object: objSupportable, nounObject: true},
	{pattern: "disavowed|disavows|disowned|disowns|repudiated|repudiates", stance: events.Oppose, conf: 0.7, form: fVerb, object: objSupportable},
	{pattern: "welcomed|praised|hailed|applauded|lauded", stance: events.Support, conf: 0.7, form: fVerb, object: objSupportable, passive: true, passiveOnly: true},
	// "the declaration was also signed by A, B and C"
	{pattern: "signed|co-signed|cosigned", stance: events.Support, conf: 0.75, form: fVerb, object: objSupportable, passive: true, passiveOnly: true},
	// "Russia also campaigned against Kosovo's membership"
	{pattern: "campaigned|campaigns|campaign|lobbied|lobbies|lobby|argued|argues|spoke|speaks against", stance: events.Oppose, conf: 0.7, form: fVerb, object: objSupportable},
	{pattern: "campaigned|campaigns|campaign|lobbied|lobbies|lobby for", stance: events.Support, conf: 0.7, form: fVerb, object: objSupportable},
	{pattern: "recalled|summoned|withdrew|ordered its|their ambassador|ambassadors|envoy|envoys", stance: events.Oppose, conf: 0.6, form: fVerb},
	// breaking off relations in protest
	{pattern: "severed|severs|sever|cut|cuts|broke|breaks|break|suspended|suspends|suspend off? its|their? diplomatic ties|relations with", stance: events.Oppose, conf: 0.6, form: fVerb},
	// "Ireland followed suit", "said they would not follow suit"
	{pattern: "followed|follows|follow|following suit", stance: events.Support, conf: 0.65, form: fVerb, negatable: true, future: true, suit: true},
	// a pact or treaty: signing it is support, leaving it opposition
	{pattern: "sign|signs|signed|signing|initialed|initialled|initials", stance: events.Support, conf: 0.7, form: fVerb, object: objPact, negatable: true, future: true},
	{pattern: "withdrew|withdraws|withdraw|withdrawing|pulled|pulls|pull|pulling|backed|backs|back|backing out? from|of", stance: events.Oppose, conf: 0.7, form: fVerb, object: objPact, future: true},
	// conditional
	{pattern: "linked|tied|conditioned|links|ties|linking|tying its|their support", stance: events.Conditional, conf: 0.8, form: fVerb, object: objMotionOrCF},
}

var (
	triggerOnce  sync.Once
	triggerIndex map[string][]*trigger
	triggerWords map[string]bool
)

func indexTriggers() {
	triggerIndex = map[string][]*trigger{}
	triggerWords = map[string]bool{}
	for i := range triggers {
		t := &triggers[i]
		for _, part := range strings.Fields(t.pattern) {
			opt := strings.HasSuffix(part, "?")
			t.elems = append(t.elems, strings.Split(strings.TrimSuffix(part, "?"), "|"))
			t.opt = append(t.opt, opt)
		}
		// an optional first element: the trigger also starts at the second
		firsts := t.elems[0]
		if t.opt[0] && len(t.elems) > 1 {
			firsts = append(slices.Clone(firsts), t.elems[1]...)
		}
		for _, w := range firsts {
			triggerIndex[w] = append(triggerIndex[w], t)
			if t.form == fVerb {
				triggerWords[w] = true
			}
		}
	}
}

// triggerFirst is the set of words that begin a verb trigger.
func triggerFirst() map[string]bool {
	triggerOnce.Do(indexTriggers)
	return triggerWords
}

// triggersAt returns the triggers that start at toks[i], with the number
// of tokens each spans.
func triggersAt(toks []token, i int) []match {
	triggerOnce.Do(indexTriggers)
	var out []match
	for _, t := range triggerIndex[toks[i].norm] {
		if n := matchPattern(toks, i, t); n > 0 {
			out = append(out, match{t: t, start: i, end: i + n})
		}
	}
	return out
}

// match is a trigger found at [start, end) of a sentence.
type match struct {
	t          *trigger
	start, end int
}

func matchPattern(toks []token, i int, t *trigger) int {
	var rec func(j, e int) int
	rec = func(j, e int) int {
		if e == len(t.elems) {
			return j - i
		}
		best := 0
		if j < len(toks) && contains(t.elems[e], toks[j].norm) {
			best = rec(j+1, e+1)
		} else if e > 0 && !t.opt[e] {
			// "voted on Thursday against", "voted unanimously in favour"
			if a := skipAdverbial(toks, j); a > j && a < len(toks) && contains(t.elems[e], toks[a].norm) {
				best = rec(a+1, e+1)
			}
		}
		if t.opt[e] {
			if n := rec(j, e+1); n > best {
				best = n
			}
		}
		return best
	}
	return rec(i, 0)
}

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// skipAdverbial returns the index after a day or manner adverbial at j
// that may stand inside a verb phrase ("on Thursday", "today",
// "unanimously", "once again"), or j when there is none.
func skipAdverbial(toks []token, j int) int {
	if j >= len(toks) {
		return j
	}
	w := toks[j].norm
	switch {
	case w == "on" && j+1 < len(toks) && (weekdays[toks[j+1].norm] != 0 || toks[j+1].norm == "sunday"):
		j += 2
		if j < len(toks) && toks[j].is("night", "morning", "evening", "afternoon") {
			j++
		}
		return j
	case w == "today" || w == "yesterday" || w == "unanimously" || w == "again" || w == "also" || w == "overwhelmingly":
		return j + 1
	case w == "once" && j+1 < len(toks) && toks[j+1].is("again"):
		return j + 2
	}
	return j
}
