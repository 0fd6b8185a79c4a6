package alignment

import (
	"strings"

	"github.com/stancewatch/stancewatch/events"
)

// Shipped returns the blocs stancewatch ships, each with its source.
// Memberships carry dates where the membership changed within the
// record (the EU by accession and withdrawal, the P5's Chinese seat,
// BRICS by joining, the Arab League by admission). G77, NAM and OIC are
// their current members, as their secretariats list them, applied since
// each group's founding: the per-member joining dates are not encoded
// yet, so in early years these blocs include states that joined later
// (a state counts only on the roll calls it voted on, so a state not
// yet a UN member does not count). A fresh slice every call.
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
		{ID: "g77", Name: "Group of 77", Source: "https://www.g77.org/doc/members.html",
			Note: "the 134 members the G77 lists (China associates as \"G77 and China\" and is not listed), applied since the founding Joint Declaration of 15 June 1964; Yugoslavia (YU), a founder, until 27 April 1992",
			Members: dated(`
YU 1964-06-15 1992-04-27
` + `AF,DZ,AO,AG,AR,AZ,BS,BH,BD,BB,BZ,BJ,BT,BO,BA,BW,BR,BN,BF,BI,CV,KH,CM,CF,TD,CL,CO,KM,CG,CR,CI,CU,KP,CD,DJ,DM,DO,EC,EG,SV,GQ,ER,SZ,ET,FJ,GA,GM,GH,GD,GT,GN,GW,GY,HT,HN,IN,ID,IR,IQ,JM,JO,KE,KI,KW,LA,LB,LS,LR,LY,MG,MW,MY,MV,ML,MH,MR,MU,FM,MN,MA,MZ,MM,NA,NR,NP,NI,NE,NG,OM,PK,PS,PA,PG,PY,PE,PH,QA,RW,KN,LC,VC,WS,ST,SA,SN,SC,SL,SG,SB,SO,ZA,SS,LK,SD,SR,SY,TJ,TZ,TH,TL,TG,TO,TT,TN,TM,UG,AE,UY,VU,VE,VN,YE,ZM,ZW 1964-06-15`)},
		{ID: "nam", Name: "Non-Aligned Movement", Source: "https://www.un.org/disarmament/non-aligned-movement/",
			Note: "the 120 current members, applied since the Belgrade conference of 1 September 1961; Yugoslavia (YU), a founder, until 27 April 1992",
			Members: dated(`
YU 1961-09-01 1992-04-27
` + `AF,DZ,AO,AG,AZ,BS,BH,BD,BB,BY,BZ,BJ,BT,BO,BW,BN,BF,BI,KH,CM,CV,CF,TD,CL,CO,KM,CG,CI,CU,KP,CD,DJ,DM,DO,EC,EG,GQ,ER,SZ,ET,FJ,GA,GM,GH,GD,GT,GN,GW,GY,HT,HN,IN,ID,IR,IQ,JM,JO,KE,KW,LA,LB,LS,LR,LY,MG,MW,MY,MV,ML,MR,MU,MN,MA,MZ,MM,NA,NP,NI,NE,NG,OM,PK,PS,PA,PG,PE,PH,QA,RW,KN,LC,VC,ST,SA,SN,SC,SL,SG,SO,ZA,LK,SD,SR,SY,TZ,TH,TL,TG,TT,TN,TM,UG,AE,UZ,VU,VE,VN,YE,ZM,ZW 1961-09-01`)},
		{ID: "oic", Name: "Organisation of Islamic Cooperation", Source: "https://www.oic-oci.org/states/?lan=en",
			Note: "the 57 current member states, applied since the Rabat summit of 25 September 1969",
			Members: dated(`
AF,AL,DZ,AZ,BH,BD,BJ,BN,BF,CM,TD,KM,CI,DJ,EG,GA,GM,GN,GW,GY,ID,IR,IQ,JO,KZ,KW,KG,LB,LY,MY,MV,ML,MR,MA,MZ,NE,NG,OM,PK,PS,QA,SA,SN,SL,SO,SD,SR,SY,TJ,TG,TN,TR,TM,UG,AE,UZ,YE 1969-09-25`)},
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
