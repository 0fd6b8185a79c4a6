package events

// countryTable lists the names by which news copy, vote records and
// analysts refer to states: code|names|demonyms|capitals, each part a
// semicolon-separated list, the first name being the display name.
// Codes not listed here are still valid ISO 3166-1 codes; they are known
// by the English name that golang.org/x/text gives them.
//
// Ambiguous forms are left out on purpose: "Congo", "Korea", "Guinea" as a
// demonym, "Dominican", "Niger" as a demonym for Nigeria. An alias that
// could name two states names neither.
const countryTable = `
AD|Andorra|Andorran|Andorra la Vella
AE|United Arab Emirates;UAE;U.A.E.;the Emirates|Emirati;Emirian|Abu Dhabi
AF|Afghanistan;Islamic Republic of Afghanistan;Islamic Emirate of Afghanistan|Afghan|Kabul
AG|Antigua and Barbuda;Antigua & Barbuda|Antiguan|St. John's;Saint John's
AL|Albania;Republic of Albania|Albanian|Tirana
AM|Armenia;Republic of Armenia|Armenian|Yerevan
AO|Angola;Republic of Angola|Angolan|Luanda
AR|Argentina;Argentine Republic|Argentine;Argentinian;Argentinean|Buenos Aires
AT|Austria;Republic of Austria|Austrian|Vienna
AU|Australia;Commonwealth of Australia|Australian|Canberra
AZ|Azerbaijan;Republic of Azerbaijan|Azerbaijani;Azeri|Baku
BA|Bosnia and Herzegovina;Bosnia & Herzegovina;Bosnia|Bosnian|Sarajevo
BB|Barbados|Barbadian;Bajan|Bridgetown
BD|Bangladesh;People's Republic of Bangladesh|Bangladeshi|Dhaka
BE|Belgium;Kingdom of Belgium|Belgian|Brussels
BF|Burkina Faso|Burkinabe;Burkinabè|Ouagadougou
BG|Bulgaria;Republic of Bulgaria|Bulgarian|Sofia
BH|Bahrain;Kingdom of Bahrain|Bahraini|Manama
BI|Burundi;Republic of Burundi|Burundian|Gitega
BJ|Benin;Republic of Benin|Beninese|Porto-Novo
BN|Brunei;Brunei Darussalam|Bruneian|Bandar Seri Begawan
BO|Bolivia;Plurinational State of Bolivia;Bolivia (Plurinational State of)|Bolivian|Sucre;La Paz
BR|Brazil;Federative Republic of Brazil|Brazilian|Brasilia;Brasília
BS|Bahamas;the Bahamas;Commonwealth of the Bahamas|Bahamian|Nassau
BT|Bhutan;Kingdom of Bhutan|Bhutanese|Thimphu
BW|Botswana;Republic of Botswana|Botswanan;Motswana|Gaborone
BY|Belarus;Republic of Belarus|Belarusian|Minsk
BZ|Belize|Belizean|Belmopan
CA|Canada|Canadian|Ottawa
CD|Democratic Republic of the Congo;Democratic Republic of Congo;Dem. Rep. of Congo;Dem. Rep. of the Congo;DR Congo;DRC;Congo-Kinshasa;Congo - Kinshasa|Congolese|Kinshasa
CF|Central African Republic;CAR|Central African|Bangui
CG|Republic of the Congo;Republic of Congo;Congo Republic;Congo-Brazzaville;Congo - Brazzaville||Brazzaville
CH|Switzerland;Swiss Confederation|Swiss|Bern;Berne
CI|Côte d'Ivoire;Cote d'Ivoire;Côte d’Ivoire;Ivory Coast|Ivorian|Yamoussoukro
CL|Chile;Republic of Chile|Chilean|Santiago
CM|Cameroon;Republic of Cameroon|Cameroonian|Yaoundé;Yaounde
CN|China;People's Republic of China;PRC;P.R.C.|Chinese|Beijing;Peking
CO|Colombia;Republic of Colombia|Colombian|Bogota;Bogotá
CR|Costa Rica;Republic of Costa Rica|Costa Rican|San José;San Jose
CU|Cuba;Republic of Cuba|Cuban|Havana
CV|Cabo Verde;Cape Verde;Republic of Cabo Verde|Cabo Verdean;Cape Verdean|Praia
CY|Cyprus;Republic of Cyprus|Cypriot|Nicosia
CZ|Czechia;Czech Republic|Czech|Prague
DE|Germany;Federal Republic of Germany|German|Berlin
DJ|Djibouti;Republic of Djibouti|Djiboutian|
DK|Denmark;Kingdom of Denmark|Danish|Copenhagen
DM|Dominica;Commonwealth of Dominica||Roseau
DO|Dominican Republic||Santo Domingo
DZ|Algeria;People's Democratic Republic of Algeria|Algerian|Algiers
EC|Ecuador;Republic of Ecuador|Ecuadorian;Ecuadorean|Quito
EE|Estonia;Republic of Estonia|Estonian|Tallinn
EG|Egypt;Arab Republic of Egypt|Egyptian|Cairo
ER|Eritrea;State of Eritrea|Eritrean|Asmara
ES|Spain;Kingdom of Spain|Spanish|Madrid
ET|Ethiopia;Federal Democratic Republic of Ethiopia|Ethiopian|Addis Ababa
FI|Finland;Republic of Finland|Finnish|Helsinki
FJ|Fiji;Republic of Fiji|Fijian|Suva
FM|Micronesia;Federated States of Micronesia;Micronesia (Federated States of)|Micronesian|Palikir
FR|France;French Republic|French|Paris
GA|Gabon;Gabonese Republic|Gabonese|Libreville
GB|United Kingdom;UK;U.K.;Britain;Great Britain;United Kingdom of Great Britain and Northern Ireland|British|London
GD|Grenada|Grenadian|St. George's;Saint George's
GE|Georgia||Tbilisi
GH|Ghana;Republic of Ghana|Ghanaian|Accra
GM|Gambia;the Gambia;Republic of the Gambia|Gambian|Banjul
GN|Guinea;Republic of Guinea||Conakry
GQ|Equatorial Guinea;Republic of Equatorial Guinea|Equatoguinean|Malabo
GR|Greece;Hellenic Republic|Greek|Athens
GT|Guatemala;Republic of Guatemala|Guatemalan|Guatemala City
GW|Guinea-Bissau;Republic of Guinea-Bissau|Bissau-Guinean|Bissau
GY|Guyana;Co-operative Republic of Guyana|Guyanese|Georgetown
HN|Honduras;Republic of Honduras|Honduran|Tegucigalpa
HR|Croatia;Republic of Croatia|Croatian|Zagreb
HT|Haiti;Republic of Haiti|Haitian|Port-au-Prince
HU|Hungary|Hungarian|Budapest
ID|Indonesia;Republic of Indonesia|Indonesian|Jakarta
IE|Ireland;Republic of Ireland|Irish|Dublin
IL|Israel;State of Israel|Israeli|
IN|India;Republic of India|Indian|New Delhi
IQ|Iraq;Republic of Iraq|Iraqi|Baghdad
IR|Iran;Islamic Republic of Iran;Iran (Islamic Republic of)|Iranian|Tehran
IS|Iceland|Icelandic|Reykjavik;Reykjavík
IT|Italy;Italian Republic|Italian|Rome
JM|Jamaica|Jamaican|Kingston
JO|Jordan;Hashemite Kingdom of Jordan|Jordanian|Amman
JP|Japan|Japanese|Tokyo
KE|Kenya;Republic of Kenya|Kenyan|Nairobi
KG|Kyrgyzstan;Kyrgyz Republic|Kyrgyz|Bishkek
KH|Cambodia;Kingdom of Cambodia|Cambodian|Phnom Penh
KI|Kiribati|I-Kiribati|Tarawa
KM|Comoros;Union of the Comoros|Comorian|Moroni
KN|Saint Kitts and Nevis;St. Kitts and Nevis;St. Kitts & Nevis|Kittitian|Basseterre
KP|North Korea;Democratic People's Republic of Korea;DPRK|North Korean|Pyongyang
KR|South Korea;Republic of Korea;Rep. of Korea;ROK|South Korean|Seoul
KW|Kuwait;State of Kuwait|Kuwaiti|Kuwait City
KZ|Kazakhstan;Republic of Kazakhstan|Kazakh;Kazakhstani|Astana
LA|Laos;Lao People's Democratic Republic;Lao PDR|Lao;Laotian|Vientiane
LB|Lebanon;Lebanese Republic|Lebanese|Beirut
LC|Saint Lucia;St. Lucia|Saint Lucian|Castries
LI|Liechtenstein;Principality of Liechtenstein|Liechtensteiner|Vaduz
LK|Sri Lanka;Democratic Socialist Republic of Sri Lanka|Sri Lankan|Colombo;Sri Jayawardenepura Kotte
LR|Liberia;Republic of Liberia|Liberian|Monrovia
LS|Lesotho;Kingdom of Lesotho|Basotho;Mosotho|Maseru
LT|Lithuania;Republic of Lithuania|Lithuanian|Vilnius
LU|Luxembourg;Grand Duchy of Luxembourg|Luxembourgish;Luxembourger|
LV|Latvia;Republic of Latvia|Latvian|Riga
LY|Libya;State of Libya|Libyan|Tripoli
MA|Morocco;Kingdom of Morocco|Moroccan|Rabat
MC|Monaco;Principality of Monaco|Monegasque|
MD|Moldova;Republic of Moldova|Moldovan|Chisinau;Chișinău
ME|Montenegro|Montenegrin|Podgorica
MG|Madagascar;Republic of Madagascar|Malagasy|Antananarivo
MH|Marshall Islands;Republic of the Marshall Islands|Marshallese|Majuro
MK|North Macedonia;Republic of North Macedonia;Macedonia|North Macedonian;Macedonian|Skopje
ML|Mali;Republic of Mali|Malian|Bamako
MM|Myanmar;Burma;Republic of the Union of Myanmar|Myanmar;Burmese|Naypyidaw;Nay Pyi Taw
MN|Mongolia|Mongolian|Ulaanbaatar
MR|Mauritania;Islamic Republic of Mauritania|Mauritanian|Nouakchott
MT|Malta;Republic of Malta|Maltese|Valletta
MU|Mauritius;Republic of Mauritius|Mauritian|Port Louis
MV|Maldives;Republic of Maldives|Maldivian|Malé;Male
MW|Malawi;Republic of Malawi|Malawian|Lilongwe
MX|Mexico;United Mexican States|Mexican|Mexico City
MY|Malaysia|Malaysian|Kuala Lumpur
MZ|Mozambique;Republic of Mozambique|Mozambican|Maputo
NA|Namibia;Republic of Namibia|Namibian|Windhoek
NE|Niger;Republic of the Niger;the Niger|Nigerien|Niamey
NG|Nigeria;Federal Republic of Nigeria|Nigerian|Abuja
NI|Nicaragua;Republic of Nicaragua|Nicaraguan|Managua
NL|Netherlands;the Netherlands;Kingdom of the Netherlands;Holland|Dutch|Amsterdam;The Hague
NO|Norway;Kingdom of Norway|Norwegian|Oslo
NP|Nepal;Federal Democratic Republic of Nepal|Nepali;Nepalese|Kathmandu
NR|Nauru;Republic of Nauru|Nauruan|
NZ|New Zealand|New Zealander;Kiwi|Wellington
OM|Oman;Sultanate of Oman|Omani|Muscat
PA|Panama;Republic of Panama|Panamanian|Panama City
PE|Peru;Republic of Peru|Peruvian|Lima
PG|Papua New Guinea;Independent State of Papua New Guinea|Papua New Guinean|Port Moresby
PH|Philippines;the Philippines;Republic of the Philippines|Philippine;Filipino|Manila
PK|Pakistan;Islamic Republic of Pakistan|Pakistani|Islamabad
PL|Poland;Republic of Poland|Polish|Warsaw
PS|State of Palestine;Palestine;Palestinian Territories;Occupied Palestinian Territory;Palestinian Authority;Palestinian National Authority|Palestinian|Ramallah
PT|Portugal;Portuguese Republic|Portuguese|Lisbon
PW|Palau;Republic of Palau|Palauan|Ngerulmud
PY|Paraguay;Republic of Paraguay|Paraguayan|Asuncion;Asunción
QA|Qatar;State of Qatar|Qatari|Doha
RO|Romania|Romanian|Bucharest
RS|Serbia;Republic of Serbia|Serbian|Belgrade
RU|Russia;Russian Federation|Russian|Moscow;the Kremlin;Kremlin
RW|Rwanda;Republic of Rwanda|Rwandan|Kigali
SA|Saudi Arabia;Kingdom of Saudi Arabia;KSA|Saudi;Saudi Arabian|Riyadh
SB|Solomon Islands|Solomon Islander|Honiara
SC|Seychelles;Republic of Seychelles|Seychellois|
SD|Sudan;the Sudan;Republic of the Sudan|Sudanese|Khartoum
SE|Sweden;Kingdom of Sweden|Swedish|Stockholm
SG|Singapore;Republic of Singapore|Singaporean|
SI|Slovenia;Republic of Slovenia|Slovenian;Slovene|Ljubljana
SK|Slovakia;Slovak Republic|Slovak;Slovakian|Bratislava
SL|Sierra Leone;Republic of Sierra Leone|Sierra Leonean|Freetown
SM|San Marino;Republic of San Marino|Sammarinese|
SN|Senegal;Republic of Senegal|Senegalese|Dakar
SO|Somalia;Federal Republic of Somalia|Somali|Mogadishu
SR|Suriname;Republic of Suriname|Surinamese|Paramaribo
SS|South Sudan;Republic of South Sudan|South Sudanese|Juba
ST|Sao Tome and Principe;São Tomé and Príncipe;São Tomé & Príncipe|Santomean|São Tomé;Sao Tome
SV|El Salvador;Republic of El Salvador|Salvadoran|San Salvador
SY|Syria;Syrian Arab Republic|Syrian|Damascus
SZ|Eswatini;Kingdom of Eswatini;Swaziland|Swazi;Emaswati|Mbabane
TD|Chad;Republic of Chad|Chadian|N'Djamena;N’Djamena
TG|Togo;Togolese Republic|Togolese|Lomé;Lome
TH|Thailand;Kingdom of Thailand|Thai|Bangkok
TJ|Tajikistan;Republic of Tajikistan|Tajik;Tajikistani|Dushanbe
TL|Timor-Leste;East Timor;Democratic Republic of Timor-Leste|Timorese|Dili
TM|Turkmenistan|Turkmen|Ashgabat
TN|Tunisia;Republic of Tunisia|Tunisian|Tunis
TO|Tonga;Kingdom of Tonga|Tongan|Nuku'alofa
TR|Türkiye;Turkey;Republic of Türkiye;Turkiye|Turkish|Ankara
TT|Trinidad and Tobago;Trinidad & Tobago;Republic of Trinidad and Tobago|Trinidadian;Tobagonian|Port of Spain
TV|Tuvalu|Tuvaluan|Funafuti
TW|Taiwan|Taiwanese|Taipei
TZ|Tanzania;United Republic of Tanzania|Tanzanian|Dodoma
UA|Ukraine|Ukrainian|Kyiv;Kiev
UG|Uganda;Republic of Uganda|Ugandan|Kampala
US|United States;United States of America;USA;U.S.A.;US;U.S.;America|American|Washington;Washington, D.C.;Washington DC;the White House;White House
UY|Uruguay;Oriental Republic of Uruguay|Uruguayan|Montevideo
UZ|Uzbekistan;Republic of Uzbekistan|Uzbek;Uzbekistani|Tashkent
VA|Holy See;Vatican;Vatican City||
VC|Saint Vincent and the Grenadines;St. Vincent and the Grenadines;St. Vincent & Grenadines|Vincentian|Kingstown
VE|Venezuela;Bolivarian Republic of Venezuela;Venezuela (Bolivarian Republic of)|Venezuelan|Caracas
VN|Viet Nam;Vietnam;Socialist Republic of Viet Nam|Vietnamese|Hanoi
VU|Vanuatu;Republic of Vanuatu|Ni-Vanuatu|Port Vila
WS|Samoa;Independent State of Samoa|Samoan|Apia
YE|Yemen;Republic of Yemen|Yemeni|Sanaa;Sana'a
ZA|South Africa;Republic of South Africa|South African|Pretoria
ZM|Zambia;Republic of Zambia|Zambian|Lusaka
ZW|Zimbabwe;Republic of Zimbabwe|Zimbabwean|Harare
`
