package news

import (
	"strings"
	"sync"

	"github.com/stancewatch/stancewatch/events"
)

// official is a head of state or government, a foreign minister, a
// spokesperson or a UN ambassador who speaks for a state, with the term
// in which a bare name ("Erdogan said", "Macron announced") stands for it.
// Names are full names; surnames are listed only when they are
// distinctive (not "Albanese", "Abbas", "Sánchez", "Cameron", "Harris").
type official struct {
	country  string
	from, to string // YYYY-MM-DD; to "" is still in office
	names    []string
}

// officials: current and recent office holders, from the governments'
// and the UN's lists of office holders. A name counts only when the
// article was published within the term, so "Trump" in 2022 is not the
// United States, and "Rutte" after July 2024 (NATO) is not the
// Netherlands.
var officials = []official{
	// United States
	{"US", "2021-01-20", "2025-01-20", []string{"joe biden", "biden"}},
	{"US", "2017-01-20", "2021-01-20", []string{"donald trump", "trump"}},
	{"US", "2025-01-20", "", []string{"donald trump", "trump"}},
	{"US", "2021-01-26", "2025-01-20", []string{"antony blinken", "blinken"}},
	{"US", "2025-01-21", "", []string{"marco rubio", "rubio"}},
	{"US", "2018-04-26", "2021-01-20", []string{"mike pompeo", "pompeo"}},
	{"US", "2017-02-01", "2018-03-31", []string{"rex tillerson", "tillerson"}},
	{"US", "2021-02-24", "2025-01-20", []string{"linda thomas-greenfield", "thomas-greenfield", "thomas - greenfield", "linda thomas - greenfield"}},
	{"US", "2017-01-27", "2018-12-31", []string{"nikki haley", "haley"}},
	{"US", "2019-09-12", "2021-01-20", []string{"kelly craft"}},
	{"US", "2025-01-20", "2025-09-19", []string{"dorothy shea"}},
	{"US", "2025-09-19", "", []string{"mike waltz", "waltz"}},
	// Russia
	{"RU", "2012-05-07", "", []string{"vladimir putin", "putin"}},
	{"RU", "2004-03-09", "", []string{"sergei lavrov", "sergey lavrov", "lavrov"}},
	{"RU", "2017-07-27", "", []string{"vassily nebenzia", "vasily nebenzia", "vassily nebenzya", "vasily nebenzya", "nebenzia", "nebenzya"}},
	{"RU", "2012-05-07", "", []string{"dmitry peskov", "peskov"}},
	{"RU", "2015-08-10", "", []string{"maria zakharova", "zakharova"}},
	// China
	{"CN", "2013-03-14", "", []string{"xi jinping", "president xi"}},
	{"CN", "2013-03-16", "2022-12-30", []string{"wang yi"}},
	{"CN", "2023-07-25", "", []string{"wang yi"}},
	{"CN", "2022-12-30", "2023-07-25", []string{"qin gang"}},
	{"CN", "2019-09-01", "2024-03-31", []string{"zhang jun"}},
	{"CN", "2024-03-01", "", []string{"fu cong"}},
	{"CN", "2020-07-01", "2025-06-30", []string{"geng shuang"}},
	{"CN", "2020-07-20", "2024-07-31", []string{"wang wenbin"}},
	{"CN", "2022-09-01", "", []string{"mao ning"}},
	{"CN", "2024-01-01", "", []string{"lin jian"}},
	// United Kingdom
	{"GB", "2019-07-24", "2022-09-06", []string{"boris johnson"}},
	{"GB", "2022-09-06", "2022-10-25", []string{"liz truss"}},
	{"GB", "2022-10-25", "2024-07-05", []string{"rishi sunak", "sunak"}},
	{"GB", "2024-07-05", "", []string{"keir starmer", "starmer"}},
	{"GB", "2022-09-06", "2023-11-13", []string{"james cleverly"}},
	{"GB", "2023-11-13", "2024-07-05", []string{"david cameron", "lord cameron"}},
	{"GB", "2024-07-05", "2025-09-05", []string{"david lammy", "lammy"}},
	{"GB", "2025-09-05", "", []string{"yvette cooper"}},
	{"GB", "2020-09-01", "2025-06-30", []string{"barbara woodward"}},
	// France
	{"FR", "2017-05-14", "", []string{"emmanuel macron", "macron"}},
	{"FR", "2017-05-17", "2022-05-20", []string{"jean-yves le drian", "le drian"}},
	{"FR", "2022-05-20", "2024-01-11", []string{"catherine colonna", "colonna"}},
	{"FR", "2024-01-11", "2024-09-21", []string{"stéphane séjourné", "stephane sejourne", "séjourné", "sejourne"}},
	{"FR", "2024-09-21", "", []string{"jean-noël barrot", "jean-noel barrot", "jean - noël barrot", "jean - noel barrot", "barrot"}},
	{"FR", "2019-07-01", "2024-10-31", []string{"nicolas de rivière", "nicolas de riviere", "de rivière", "de riviere"}},
	{"FR", "2024-10-01", "", []string{"jérôme bonnafont", "jerome bonnafont", "bonnafont"}},
	// Germany
	{"DE", "2005-11-22", "2021-12-08", []string{"angela merkel", "merkel"}},
	{"DE", "2021-12-08", "2025-05-06", []string{"olaf scholz", "scholz"}},
	{"DE", "2025-05-06", "", []string{"friedrich merz", "merz"}},
	{"DE", "2021-12-08", "2025-05-06", []string{"annalena baerbock", "baerbock"}},
	{"DE", "2025-05-06", "", []string{"johann wadephul", "wadephul"}},
	{"DE", "2018-03-14", "2021-12-08", []string{"heiko maas"}},
	// Turkey
	{"TR", "2014-08-28", "", []string{"recep tayyip erdoğan", "recep tayyip erdogan", "tayyip erdoğan", "tayyip erdogan", "erdoğan", "erdogan"}},
	{"TR", "2015-11-24", "2023-06-04", []string{"mevlüt çavuşoğlu", "mevlut cavusoglu", "çavuşoğlu", "cavusoglu"}},
	{"TR", "2023-06-04", "", []string{"hakan fidan", "fidan"}},
	// Hungary
	{"HU", "2010-05-29", "", []string{"viktor orbán", "viktor orban", "orbán", "orban"}},
	{"HU", "2014-09-23", "", []string{"péter szijjártó", "peter szijjarto", "szijjártó", "szijjarto"}},
	// Israel
	{"IL", "2009-03-31", "2021-06-13", []string{"benjamin netanyahu", "netanyahu"}},
	{"IL", "2022-12-29", "", []string{"benjamin netanyahu", "netanyahu"}},
	{"IL", "2021-06-13", "2022-06-30", []string{"naftali bennett"}},
	{"IL", "2022-07-01", "2022-12-29", []string{"yair lapid"}},
	{"IL", "2024-11-05", "", []string{"gideon sa'ar", "gideon saar"}},
	{"IL", "2020-09-01", "2024-08-31", []string{"gilad erdan", "erdan"}},
	{"IL", "2024-08-01", "", []string{"danny danon", "danon"}},
	// Palestine
	{"PS", "2005-01-15", "", []string{"mahmoud abbas"}},
	{"PS", "2005-01-01", "", []string{"riyad mansour"}},
	// Ukraine
	{"UA", "2019-05-20", "", []string{"volodymyr zelensky", "volodymyr zelenskyy", "volodymyr zelenskiy", "zelensky", "zelenskyy", "zelenskiy"}},
	{"UA", "2020-03-04", "2024-09-05", []string{"dmytro kuleba", "kuleba"}},
	{"UA", "2024-09-05", "", []string{"andrii sybiha", "andriy sybiha", "sybiha"}},
	// Japan
	{"JP", "2021-10-04", "2024-10-01", []string{"fumio kishida", "kishida"}},
	{"JP", "2024-10-01", "2025-10-21", []string{"shigeru ishiba", "ishiba"}},
	{"JP", "2025-10-21", "", []string{"sanae takaichi", "takaichi"}},
	{"JP", "2021-11-10", "2023-09-13", []string{"yoshimasa hayashi"}},
	{"JP", "2023-09-13", "2024-10-01", []string{"yoko kamikawa", "kamikawa"}},
	{"JP", "2024-10-01", "2025-10-21", []string{"takeshi iwaya", "iwaya"}},
	// South Korea
	{"KR", "2022-05-10", "2025-04-04", []string{"yoon suk yeol", "yoon suk-yeol", "yoon"}},
	{"KR", "2025-06-04", "", []string{"lee jae-myung", "lee jae myung"}},
	{"KR", "2022-05-12", "2024-01-10", []string{"park jin"}},
	{"KR", "2024-01-11", "2025-07-20", []string{"cho tae-yul", "cho tae yul"}},
	// Nordics
	{"SE", "2022-10-18", "", []string{"ulf kristersson", "kristersson"}},
	{"SE", "2021-11-30", "2022-10-18", []string{"magdalena andersson"}},
	{"SE", "2022-10-18", "2024-09-10", []string{"tobias billström", "tobias billstrom", "billström", "billstrom"}},
	{"SE", "2019-09-10", "2022-10-18", []string{"ann linde"}},
	{"FI", "2012-03-01", "2024-03-01", []string{"sauli niinistö", "sauli niinisto", "niinistö", "niinisto"}},
	{"FI", "2024-03-01", "", []string{"alexander stubb", "stubb"}},
	{"FI", "2019-12-10", "2023-06-20", []string{"sanna marin"}},
	{"FI", "2023-06-20", "", []string{"petteri orpo", "orpo"}},
	{"FI", "2019-06-06", "2023-06-20", []string{"pekka haavisto", "haavisto"}},
	{"FI", "2023-06-20", "", []string{"elina valtonen", "valtonen"}},
	{"NO", "2021-10-14", "", []string{"jonas gahr støre", "jonas gahr store", "gahr støre", "gahr store"}},
	{"NO", "2023-10-16", "", []string{"espen barth eide", "barth eide"}},
	{"DK", "2019-06-27", "", []string{"mette frederiksen"}},
	{"DK", "2022-12-15", "", []string{"lars løkke rasmussen", "lars lokke rasmussen"}},
	// other European governments
	{"IT", "2022-10-22", "", []string{"giorgia meloni", "meloni"}},
	{"IT", "2022-10-22", "", []string{"antonio tajani", "tajani"}},
	{"ES", "2018-06-02", "", []string{"pedro sánchez", "pedro sanchez"}},
	{"ES", "2021-07-12", "", []string{"josé manuel albares", "jose manuel albares", "albares"}},
	{"IE", "2024-04-09", "2025-01-23", []string{"simon harris"}},
	{"IE", "2020-06-27", "", []string{"micheál martin", "micheal martin"}},
	{"IE", "2017-06-14", "2024-04-09", []string{"leo varadkar", "varadkar"}},
	{"SI", "2022-06-01", "", []string{"robert golob", "golob"}},
	{"SI", "2022-06-01", "", []string{"tanja fajon", "fajon"}},
	{"BE", "2020-10-01", "2025-02-03", []string{"alexander de croo", "de croo"}},
	{"BE", "2025-02-03", "", []string{"bart de wever", "de wever"}},
	{"BE", "2025-02-03", "", []string{"maxime prévot", "maxime prevot"}},
	{"PT", "2024-04-02", "", []string{"luís montenegro", "luis montenegro"}},
	{"PT", "2024-04-02", "", []string{"paulo rangel"}},
	{"MT", "2020-01-13", "", []string{"robert abela"}},
	{"PL", "2023-12-13", "", []string{"donald tusk", "tusk"}},
	{"PL", "2023-12-13", "", []string{"radosław sikorski", "radoslaw sikorski", "sikorski"}},
	{"NL", "2010-10-14", "2024-07-02", []string{"mark rutte", "rutte"}},
	{"NL", "2024-07-02", "", []string{"dick schoof", "schoof"}},
	{"GR", "2019-07-08", "", []string{"kyriakos mitsotakis", "mitsotakis"}},
	// the Americas, Asia-Pacific, Africa, Middle East
	{"CA", "2015-11-04", "2025-03-14", []string{"justin trudeau", "trudeau"}},
	{"CA", "2025-03-14", "", []string{"mark carney"}},
	{"CA", "2021-10-26", "2025-05-13", []string{"mélanie joly", "melanie joly"}},
	{"CA", "2025-05-13", "", []string{"anita anand"}},
	{"AU", "2022-05-23", "", []string{"anthony albanese", "penny wong"}},
	{"NZ", "2023-11-27", "", []string{"christopher luxon", "luxon", "winston peters"}},
	{"BR", "2023-01-01", "", []string{"luiz inácio lula da silva", "luiz inacio lula da silva", "lula da silva", "lula"}},
	{"BR", "2019-01-01", "2022-12-31", []string{"jair bolsonaro", "bolsonaro"}},
	{"MX", "2024-10-01", "", []string{"claudia sheinbaum", "sheinbaum"}},
	{"VE", "2013-04-19", "", []string{"nicolás maduro", "nicolas maduro", "maduro"}},
	{"IN", "2014-05-26", "", []string{"narendra modi", "modi"}},
	{"IN", "2019-05-30", "", []string{"subrahmanyam jaishankar", "jaishankar"}},
	{"IR", "2021-08-03", "2024-05-19", []string{"ebrahim raisi", "raisi"}},
	{"IR", "2024-07-28", "", []string{"masoud pezeshkian", "pezeshkian"}},
	{"IR", "2021-08-25", "2024-05-19", []string{"hossein amir-abdollahian", "amir-abdollahian", "amir - abdollahian"}},
	{"IR", "2024-08-21", "", []string{"abbas araghchi", "araghchi"}},
	{"EG", "2014-06-08", "", []string{"abdel fattah el-sisi", "abdel fattah al-sisi", "el-sisi", "al-sisi", "sisi"}},
	{"EG", "2014-06-17", "2024-07-03", []string{"sameh shoukry", "shoukry"}},
	{"EG", "2024-07-03", "", []string{"badr abdelatty", "abdelatty"}},
	{"SA", "2019-10-23", "", []string{"faisal bin farhan"}},
	{"SY", "2000-07-17", "2024-12-08", []string{"bashar al-assad", "bashar assad", "assad"}},
	{"KP", "2011-12-17", "", []string{"kim jong un", "kim jong-un"}},
	{"ZA", "2018-02-15", "", []string{"cyril ramaphosa", "ramaphosa"}},
	{"ZA", "2019-05-30", "2024-06-30", []string{"naledi pandor", "pandor"}},
	{"DZ", "2023-01-01", "", []string{"amar bendjama", "bendjama"}},
}

// officialAlias is one name of an official, for the lexicon.
type officialAlias struct {
	words    []string
	country  events.Country
	from, to events.Date
}

var officialAliases = sync.OnceValue(func() []officialAlias {
	var out []officialAlias
	for _, o := range officials {
		c := events.MustCountry(o.country)
		from, err := events.ParseDate(o.from)
		if err != nil {
			panic("officials: " + o.from)
		}
		var to events.Date
		if o.to != "" {
			if to, err = events.ParseDate(o.to); err != nil {
				panic("officials: " + o.to)
			}
		}
		for _, n := range o.names {
			var words []string
			for _, t := range tokenize(n, 0) {
				if t.kind == tPunct && t.norm != "'" && t.norm != "-" {
					continue
				}
				words = append(words, t.norm)
			}
			out = append(out, officialAlias{words: words, country: c, from: from, to: to})
		}
	}
	return out
})

// covers reports whether day falls in the official's term; a zero day
// (no publication date) is in no term.
func (a *officialAlias) covers(day events.Date) bool {
	if day.IsZero() || day.Before(a.from) {
		return false
	}
	return a.to.IsZero() || !a.to.Before(day)
}

// formerBefore reports "former", "ex-" or "late" before a name: a past
// office holder, who no longer speaks for the state.
func formerBefore(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if toks[k].is("former", "ex", "ex-", "late", "then", "then-") || strings.HasPrefix(toks[k].norm, "ex-") {
			return true
		}
	}
	return false
}
