"""Write statements/extraction/data/countries.json: countries, demonyms, capitals, bodies.

Country names come from pycountry (ISO 3166; a development tool only: the extractor
reads the JSON file and needs no new dependency). Demonyms and capitals, which ISO does
not carry, are kept in the table below; the bodies and metonyms list what news and
official texts call a state's institutions.

Usage: python scripts/build_country_data.py   (pip install pycountry first)
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "statements/extraction/data/countries.json"

# alpha-2 | short name (blank: pycountry's common name) | demonyms | capitals (as metonyms)
TABLE = """
AF||Afghan|Kabul
AL||Albanian|Tirana
DZ||Algerian|Algiers
AO||Angolan|Luanda
AR||Argentine;Argentinian|Buenos Aires
AM||Armenian|Yerevan
AU||Australian|Canberra
AT||Austrian|Vienna
AZ||Azerbaijani;Azeri|Baku
BH||Bahraini|Manama
BD||Bangladeshi|Dhaka
BY||Belarusian|Minsk
BE||Belgian|Brussels
BJ||Beninese|Porto-Novo
BO||Bolivian|La Paz
BA|Bosnia and Herzegovina|Bosnian|Sarajevo
BW||Botswanan|Gaborone
BR||Brazilian|Brasilia;Brasília
BG||Bulgarian|Sofia
BF||Burkinabe|Ouagadougou
BI||Burundian|Gitega
KH||Cambodian|Phnom Penh
CM||Cameroonian|Yaounde;Yaoundé
CA||Canadian|Ottawa
CF||Central African|Bangui
TD||Chadian|N'Djamena
CL||Chilean|Santiago
CN||Chinese|Beijing
CO||Colombian|Bogota;Bogotá
CD|Democratic Republic of the Congo|Congolese|Kinshasa
CG|Republic of the Congo||Brazzaville
CR||Costa Rican|San Jose
CI|Côte d'Ivoire;Ivory Coast|Ivorian|Abidjan;Yamoussoukro
HR||Croatian|Zagreb
CU||Cuban|Havana
CY||Cypriot|Nicosia
CZ|Czech Republic;Czechia|Czech|Prague
DK||Danish|Copenhagen
DJ||Djiboutian|
DO||Dominican|Santo Domingo
EC||Ecuadorian|Quito
EG||Egyptian|Cairo
SV||Salvadoran|San Salvador
ER||Eritrean|Asmara
EE||Estonian|Tallinn
ET||Ethiopian|Addis Ababa
FI||Finnish|Helsinki
FR||French|Paris;the Elysee;the Élysée
GA||Gabonese|Libreville
GM|Gambia;The Gambia|Gambian|Banjul
GE||Georgian|Tbilisi
DE||German|Berlin
GH||Ghanaian|Accra
GR||Greek|Athens
GT||Guatemalan|Guatemala City
GN||Guinean|Conakry
HT||Haitian|Port-au-Prince
HN||Honduran|Tegucigalpa
HU||Hungarian|Budapest
IS||Icelandic|Reykjavik
IN||Indian|New Delhi
ID||Indonesian|Jakarta
IR|Iran|Iranian|Tehran
IQ||Iraqi|Baghdad
IE||Irish|Dublin
IL||Israeli|Jerusalem
IT||Italian|Rome
JM||Jamaican|Kingston
JP||Japanese|Tokyo
JO||Jordanian|Amman
KZ||Kazakh;Kazakhstani|Astana
KE||Kenyan|Nairobi
XK|Kosovo|Kosovar|Pristina
KW||Kuwaiti|Kuwait City
KG|Kyrgyzstan|Kyrgyz|Bishkek
LA|Laos|Lao;Laotian|Vientiane
LV||Latvian|Riga
LB||Lebanese|Beirut
LY||Libyan|Tripoli
LT||Lithuanian|Vilnius
LU||Luxembourgish|
MG||Malagasy|Antananarivo
MW||Malawian|Lilongwe
MY||Malaysian|Kuala Lumpur
ML||Malian|Bamako
MT||Maltese|Valletta
MR||Mauritanian|Nouakchott
MX||Mexican|Mexico City
MD|Moldova|Moldovan|Chisinau;Chișinău
MN||Mongolian|Ulaanbaatar
ME||Montenegrin|Podgorica
MA||Moroccan|Rabat
MZ||Mozambican|Maputo
MM|Myanmar;Burma|Myanmar;Burmese|Naypyidaw
NA||Namibian|Windhoek
NP||Nepali;Nepalese|Kathmandu
NL|Netherlands|Dutch|Amsterdam;The Hague
NZ||New Zealand|Wellington
NI||Nicaraguan|Managua
NE||Nigerien|Niamey
NG||Nigerian|Abuja
KP|North Korea|North Korean|Pyongyang
MK|North Macedonia|Macedonian|Skopje
NO||Norwegian|Oslo
OM||Omani|Muscat
PK||Pakistani|Islamabad
PS|Palestine|Palestinian|Ramallah
PA||Panamanian|Panama City
PY||Paraguayan|Asuncion;Asunción
PE||Peruvian|Lima
PH|Philippines|Philippine;Filipino|Manila
PL||Polish|Warsaw
PT||Portuguese|Lisbon
QA||Qatari|Doha
RO||Romanian|Bucharest
RU|Russia|Russian|Moscow;the Kremlin
RW||Rwandan|Kigali
SA||Saudi;Saudi Arabian|Riyadh
SN||Senegalese|Dakar
RS||Serbian|Belgrade
SL||Sierra Leonean|Freetown
SG||Singaporean|
SK||Slovak|Bratislava
SI||Slovenian|Ljubljana
SO||Somali|Mogadishu
ZA||South African|Pretoria
KR|South Korea|South Korean|Seoul
SS||South Sudanese|Juba
ES||Spanish|Madrid
LK||Sri Lankan|Colombo
SD||Sudanese|Khartoum
SE||Swedish|Stockholm
CH||Swiss|Bern
SY|Syria|Syrian|Damascus
TW|Taiwan|Taiwanese|Taipei
TJ||Tajik|Dushanbe
TZ|Tanzania|Tanzanian|Dodoma
TH||Thai|Bangkok
TG||Togolese|Lome;Lomé
TN||Tunisian|Tunis
TR|Turkey;Türkiye|Turkish|Ankara
TM||Turkmen|Ashgabat
UG||Ugandan|Kampala
UA||Ukrainian|Kyiv;Kiev
AE|United Arab Emirates;UAE|Emirati|Abu Dhabi
GB|United Kingdom;Britain;Great Britain;UK;U.K.|British|London;Downing Street;Whitehall
US|United States;U.S.;US;USA;America|American;U.S.|Washington;the White House
UY||Uruguayan|Montevideo
UZ||Uzbek|Tashkent
VE|Venezuela|Venezuelan|Caracas
VN|Vietnam;Viet Nam|Vietnamese|Hanoi
YE||Yemeni|Sanaa;Sana'a
ZM||Zambian|Lusaka
ZW||Zimbabwean|Harare
"""

# Bodies a state has: the English phrases news and official texts use for each, and the
# full name given to a proposed actor ("{name} of {country}"). "The X military" speaks
# through its defence ministry, which issues the military's statements.
BODIES = [
    (
        "Ministry of Foreign Affairs",
        "government",
        "foreign ministry;ministry of foreign affairs;foreign affairs ministry;foreign office;mfa",
    ),
    (
        "Ministry of Defence",
        "military",
        "defence ministry;defense ministry;ministry of defence;ministry of defense;military",
    ),
    (
        "Ministry of Internal Affairs",
        "government",
        "interior ministry;ministry of interior;ministry of the interior;ministry of internal affairs",
    ),
    ("Ministry of Justice", "government", "justice ministry;ministry of justice"),
    ("Ministry of Finance", "government", "finance ministry;ministry of finance"),
    ("Ministry of Health", "government", "health ministry;ministry of health"),
    ("Government", "government", "government;cabinet;authorities"),
    (
        "Office of the President",
        "government",
        "presidency;presidential office;president's office;office of the president;"
        "presidential administration",
    ),
    (
        "Office of the Prime Minister",
        "government",
        "prime minister's office;office of the prime minister",
    ),
    ("Parliament", "government", "parliament;national assembly;legislature"),
    ("Armed Forces", "military", "armed forces;army;forces"),
    ("Navy", "military", "navy"),
    ("Air Force", "military", "air force"),
    ("General Staff", "military", "general staff;general staff of the armed forces"),
    ("Border Guard", "military", "border guard;border guards;border service"),
    (
        "Security Service",
        "government",
        "security service;state security service;national security service",
    ),
    ("Security Council", "government", "security council;national security council"),
    (
        "Prosecutor General's Office",
        "government",
        "prosecutor general's office;prosecutor's office;general prosecutor's office",
    ),
    ("Embassy", "government", "embassy"),
    (
        "Mission to the United Nations",
        "government",
        "mission to the united nations;mission to the un;permanent mission to the united nations",
    ),
    ("Central Bank", "organization", "central bank"),
    ("State Media", "media", "state media;state television;state tv;state news agency"),
    ("Police", "government", "police;national police"),
]

# Buildings and streets that stand for a body (a capital stands for its state instead).
METONYMS = [
    ("the Kremlin", "Office of the President of Russia", "government", "RU"),
    ("the Pentagon", "United States Department of Defense", "military", "US"),
    ("the State Department", "United States Department of State", "government", "US"),
    ("the White House", "Office of the President of the United States", "government", "US"),
    ("Downing Street", "Office of the Prime Minister of the United Kingdom", "government", "GB"),
    ("the Foreign Office", "Foreign, Commonwealth and Development Office", "government", "GB"),
    ("the Elysee", "Office of the President of France", "government", "FR"),
    ("the Élysée", "Office of the President of France", "government", "FR"),
    ("the Quai d'Orsay", "Ministry for Europe and Foreign Affairs of France", "government", "FR"),
]
# Names that need "the" in running text.
THE = {"US", "GB", "NL", "PH", "AE", "CD", "CG", "CF", "GM"}


def main() -> int:
    countries = []
    for line in TABLE.strip().splitlines():
        code, short, demonyms, capitals = line.split("|")
        iso = pycountry.countries.get(alpha_2=code)
        names = [n for n in short.split(";") if n]
        if iso is not None:
            for n in (
                getattr(iso, "common_name", None),
                iso.name,
                getattr(iso, "official_name", None),
            ):
                if n and "," not in n and n not in names:
                    names.append(n)
        countries.append(
            {
                "code": code,
                "name": names[0],
                "article": code in THE,
                "names": names,
                "demonyms": [d for d in demonyms.split(";") if d],
                "capitals": [c for c in capitals.split(";") if c],
            }
        )
    data = {
        "countries": countries,
        "bodies": [
            {"name": name, "kind": kind, "phrases": phrases.split(";")}
            for name, kind, phrases in BODIES
        ],
        "metonyms": [
            {"phrase": phrase, "name": name, "kind": kind, "country": code}
            for phrase, name, kind, code in METONYMS
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(countries)} countries to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
