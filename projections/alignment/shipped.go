package alignment

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// Shipped returns the blocs stancewatch ships, each with its source.
// Memberships are dated: the EU by accession and withdrawal, the P5's
// Chinese seat, BRICS by joining, the Arab League by admission, NAM by
// the summit at which each member joined (and left: Burma 1979–1992,
// Argentina 1991, Cyprus and Malta 2004, Yugoslavia 1992; South Sudan
// joined in 2024), the OIC by
// each member's year of joining, and the G77 from its 77 founders with
// the known leavers and late joiners (it publishes no joining dates for
// the others, which count from their first vote). Where a source gives
// only a year, the Note says which day of it is used. Former states
// (the two Yemens, Yugoslavia, West Germany) end on the day their
// successor begins. A fresh slice every call.
func Shipped() []Bloc {
	return []Bloc{
		{ID: "eu", Name: "European Union (EEC from 1958, EC, EU)", Source: "https://european-union.europa.eu/principles-countries-history/eu-countries_en",
			Note: "accession dates from europa.eu; West Germany (XG) until 2 October 1990, Germany (DE) from 3 October 1990; the United Kingdom until 31 January 2020",
			Members: dated(`
XG 1958-01-01 1990-10-02
DE 1990-10-03
BE,FR,IT,LU,NL 1958-01-01
DK,IE 1973-01-01
GB 1973-01-01 2020-01-31
GR 1981-01-01
ES,PT 1986-01-01
AT,FI,SE 1995-01-01
CY,CZ,EE,HU,LV,LT,MT,PL,SK,SI 2004-05-01
BG,RO 2007-01-01
HR 2013-07-01`)},
		{ID: "p5", Name: "Permanent members of the Security Council", Source: "https://www.un.org/en/about-us/un-charter/chapter-5",
			Note: "UN Charter art. 23; China's seat held by the Republic of China (TW) until General Assembly resolution 2758 (XXVI), 25 October 1971; the Soviet Union's seat continued by Russia (RU throughout the record)",
			Members: dated(`
US,GB,FR,RU 1945-10-24
TW 1945-10-24 1971-10-24
CN 1971-10-25`)},
		{ID: "brics", Name: "BRICS", Source: "https://brics.br/en/about-brics",
			Note: "BRIC from the Yekaterinburg summit (16 June 2009); South Africa invited 24 December 2010; Egypt, Ethiopia, Iran and the UAE from 1 January 2024 (Johannesburg II Declaration); Indonesia from 6 January 2025",
			Members: dated(`
BR,RU,IN,CN 2009-06-16
ZA 2010-12-24
EG,ET,IR,AE 2024-01-01
ID 2025-01-06`)},
		{ID: "arab-group", Name: "Arab Group (League of Arab States)", Source: "https://www.lasportal.org/ar/aboutlas/Pages/CountryData.aspx",
			Note: "members of the League of Arab States by admission; Syria's suspension (November 2011) is not applied; Palestine (PS) has no votes in the record",
			Members: dated(`
EG,IQ,JO,LB,SA,SY 1945-03-22
XY 1945-05-05 1990-05-21
YE 1990-05-22
LY 1953-03-28
SD 1956-01-19
MA,TN 1958-10-01
KW 1961-07-20
DZ 1962-08-16
YD 1967-12-12 1990-05-21
BH,QA,OM 1971-09-11
AE 1971-12-06
MR 1973-11-26
SO 1974-02-14
PS 1976-09-09
DJ 1977-09-04
KM 1993-11-20`)},
		{ID: "g77", Name: "Group of 77", Source: "https://en.wikipedia.org/wiki/Group_of_77; https://www.g77.org/doc/members.html; https://www.oecd.org/legal/accession-process.htm",
			Note: "founders: the 77 signatories of the Joint Declaration of 15 June 1964 (Wikipedia's Group of 77 article, \"Current founding members\" and \"Former members\", 2025 text). " +
				"Leavers: Yugoslavia until 27 April 1992 (Wikipedia: listed but unable to take part until late 2003), Mexico until its OECD accession on 18 May 1994 and South Korea until its OECD accession on 12 December 1996 " +
				"(Wikipedia for the leaving, the OECD and the Korean foreign ministry for the days), Cyprus until its EU accession on 1 May 2004 (Wikipedia doubts it was ever a member: a 1975 document says it was not); " +
				"North Yemen (XY) and South Yemen (YD) until unification on 22 May 1990, then Yemen (YE). " +
				"The G77 publishes no joining dates for the other members: they are dated from the founding, and since a state counts only on the roll calls it voted on, " +
				"in effect from their admission to the United Nations (most joined on or soon after it). Later joiners among earlier UN members, only the year known (1 January of it): " +
				"Cuba 1971 (Prensa Latina: \"since its incorporation in 1971\"), Malta 1976 until its EU accession on 1 May 2004 and Romania 1976 until its EU accession on 1 January 2007 " +
				"(Wikipedia; Romania is still listed in the CIA World Factbook of 2006), South Africa 1994 (not confirmed by a source). " +
				"Bosnia and Herzegovina until its removal from the list in February 2020 (Wikipedia; the month only: to 31 January). " +
				"Not encoded: Palau (2002–2004 per Wikipedia, without days). Côte d'Ivoire and Mongolia, UN members before 1964 whose joining year was not found, count from the founding. " +
				"China associates as \"G77 and China\" and is not a member",
			Members: dated(`
YU 1964-06-15 1992-04-27
MX 1964-06-15 1994-05-17
KR 1964-06-15 1996-12-11
CY 1964-06-15 2004-04-30
MT 1976-01-01 2004-04-30
RO 1976-01-01 2006-12-31
BA 1964-06-15 2020-01-31
XY,YD 1964-06-15 1990-05-21
YE 1990-05-22
CU 1971-01-01
ZA 1994-01-01
AF,DZ,AR,BJ,BO,BR,BF,BI,KH,CM,CF,TD,CL,CO,CG,CD,CR,DO,EC,EG,SV,ET,GA,GH,GT,GN,HT,HN,IN,ID,IR,IQ,JM,JO,KE,KW,LA,LB,LR,LY,MG,MY,ML,MR,MA,MM,NP,NI,NE,NG,PK,PA,PY,PE,PH,RW,SA,SN,SL,SO,LK,SD,SY,TZ,TH,TG,TT,TN,UG,UY,VE,VN 1964-06-15
AO,AG,AZ,BS,BH,BD,BB,BZ,BT,BW,BN,CV,KM,CI,KP,DJ,DM,GQ,ER,SZ,FJ,GM,GD,GW,GY,KI,LS,MW,MV,MH,MU,FM,MN,MZ,NA,NR,OM,PS,PG,QA,KN,LC,VC,WS,ST,SC,SG,SB,SS,SR,TJ,TL,TO,TM,AE,VU,ZM,ZW 1964-06-15`)},
		{ID: "nam", Name: "Non-Aligned Movement", Source: "https://en.wikipedia.org/wiki/Non-Aligned_Movement; https://www.mfa.gov.bn/Pages/The-Non-Aligned-Movement-(NAM)-.aspx; https://www.mfa.gov.kp/en/forty-five-years-for-global-independence/; https://apnews.com/article/dad8e554dd531634d2553b6120a48287",
			Note: "members by the year of admission in Wikipedia's Non-Aligned Movement article (\"Current members\" and \"Former members\", 2025 text, checked line by line), " +
				"each dated by that year's summit as the article's summit table gives it: the 25 of Belgrade (1 September 1961), Cairo (5 October 1964), Lusaka (8 September 1970), " +
				"Algiers (5 September 1973), Colombo (16 August 1976), Havana (3 September 1979), New Delhi (7 March 1983), Belgrade (4 September 1989), Jakarta (1 September 1992), " +
				"Cartagena (18 October 1995), Durban (2 September 1998), Kuala Lumpur (20 February 2003), Havana (15 September 2006), the Bali ministerial conference (23 May 2011), Kampala (15 January 2024); " +
				"in a year without one, 1 January (Chile 1971, Belize 1981, the 1993 joiners, South Africa 1994, the Dominican Republic 2000). " +
				"Syria, at Belgrade within the UAR, from Cairo 1964 as the article has it. North Korea from its admission at the Lima foreign ministers' conference, 25 August 1975 (its foreign ministry; Wikipedia: 1975). " +
				"Where sources differ: Brunei from Jakarta, September 1992, as its foreign ministry states (Wikipedia: 1993); the United Arab Emirates from Algiers 1973, " +
				"since Wikipedia's 1970 predates the state (formed 2 December 1971) — 1973 itself is not confirmed by a source. " +
				"Left: Argentina on 19 September 1991 (the cabinet's decision, AP), Cyprus and Malta on EU accession (1 May 2004); " +
				"Yugoslavia (YU) until its suspension, 27 April 1992; North Yemen (XY, a founder) and South Yemen (YD, from 1970) until unification on 22 May 1990, then Yemen (YE). " +
				"Burma is out from the Havana summit of 1979 until Jakarta 1992: not confirmed by a source (Wikipedia lists Myanmar from 1961 without a gap). " +
				"Movements admitted before their state existed (SWAPO, the PLO) count from the state's first vote",
			Members: dated(`
YU 1961-09-01 1992-04-27
XY 1961-09-01 1990-05-21
YD 1970-09-08 1990-05-21
YE 1990-05-22
CY 1961-09-01 2004-04-30
MT 1973-09-05 2004-04-30
AR 1973-09-05 1991-09-18
MM 1961-09-01 1979-09-09
MM 1992-09-01
AF,DZ,KH,LK,CD,CU,EG,ET,GH,GN,IN,ID,IQ,LB,ML,MA,NP,SA,SO,SD,TN 1961-09-01
BI,CM,CF,TD,CG,BJ,JO,KE,KW,LA,LR,LY,MW,MR,NG,SN,SL,SY,TG,UG,TZ,ZM 1964-10-05
BW,GQ,GA,GY,JM,LS,MY,RW,SG,SZ,TT 1970-09-08
CL 1971-01-01
BH,BD,BT,BF,CI,GM,MG,MU,NE,OM,PE,QA,AE 1973-09-05
KP 1975-08-25
AO,CV,KM,GW,MV,MZ,PA,PS,ST,SC,VN 1976-08-16
BO,GD,IR,NA,NI,PK,ZW 1979-09-03
BZ 1981-01-01
BS,BB,CO,DJ,EC,LC,SR,VU 1983-03-07
VE 1989-09-04
BN 1992-09-01
GT,MN,PG,PH,TH,UZ 1993-01-01
ZA 1994-01-01
ER,HN,TM 1995-10-18
BY 1998-09-02
DO 2000-01-01
TL,VC 2003-02-20
AG,DM,HT,KN 2006-09-15
AZ,FJ 2011-05-23
SS 2024-01-15`)},
		{ID: "oic", Name: "Organisation of Islamic Cooperation", Source: "https://us.sis.gov.eg/Story/178316/The-Organization-of-Islamic-Cooperation?lang=en-us; https://en.wikipedia.org/wiki/Member_states_of_the_Organisation_of_Islamic_Cooperation; https://www.oic-oci.org/states/?lan=en",
			Note: "the 57 member states by the year of joining the State Information Service of Egypt lists (Wikipedia gives 1970 for some of the 1972 members); " +
				"the founders from the Rabat summit's last day, 25 September 1969 (it met 22–25 September); the others, only the year known, from the first day of that year's Islamic summit " +
				"(Lahore 22 February 1974, Casablanca 16 January 1984, Casablanca 13 December 1994, Tehran 9 December 1997: summit days checked against the OIC's list as SESRIC and others give it), else 1 January. North Yemen (XY, a founder) until unification on 22 May 1990, then Yemen (YE); " +
				"South Yemen (YD) from 1970 (the year only). The suspensions of Egypt (1979–1984), Afghanistan (1980–1989) and Syria (from 2012) are not applied",
			Members: dated(`
XY 1969-09-25 1990-05-21
YD 1970-01-01 1990-05-21
YE 1990-05-22
AF,DZ,TD,EG,GN,ID,IR,JO,KW,LB,LY,MY,ML,MR,MA,NE,PK,PS,SA,SN,SO,SD,TN,TR 1969-09-25
AE,BH,OM,QA,SL,SY 1972-01-01
BD,BF,CM,GA,GM,GW,UG 1974-02-22
IQ 1975-01-01
KM,MV 1976-01-01
DJ 1978-01-01
BJ 1983-01-01
BN 1984-01-16
NG 1986-01-01
AL,AZ,KG,TJ,TM 1992-01-01
MZ 1994-12-13
KZ 1995-01-01
SR,UZ 1996-01-01
TG 1997-12-09
GY 1998-01-01
CI 2001-01-01`)},
	}
}

// dated reads lines "CODE[,CODE...] FROM [TO]" into memberships.
func dated(s string) []Membership {
	var out []Membership
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var from, to events.Date
		if len(f) > 1 {
			from = events.MustDate(f[1])
		}
		if len(f) > 2 {
			to = events.MustDate(f[2])
		}
		for c := range strings.SplitSeq(f[0], ",") {
			out = append(out, Membership{Actor: events.MustCountry(c), From: from, To: to})
		}
	}
	return out
}
