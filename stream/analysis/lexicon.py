"""Word lists the claim rules read: triggers, victim kinds, attack types, actor names.

Kept as data so a rule change is a one-line diff. All keys are lower case.
"""

from __future__ import annotations

from stream.analysis.actors import actor_list

# -- casualty status triggers -------------------------------------------------------
# Verbs whose object (active) or subject (passive) is the victim.
TRANSITIVE_STATUS = {
    **dict.fromkeys("kill kills killed killing slay slays slew slain slaying murder murders murdered murdering "
                    "execute executes executed executing massacre massacres massacred massacring assassinate "
                    "assassinates assassinated assassinating behead beheads beheaded lynch lynched".split(), "killed"),
    **dict.fromkeys("wound wounds wounded wounding injure injures injured injuring hurt hurts hurting maim maimed".split(),
                    "injured"),
    **dict.fromkeys("abduct abducts abducted abducting kidnap kidnaps kidnapped kidnapping".split(), "kidnapped"),
    **dict.fromkeys("arrest arrests arrested arresting detain detains detained detaining apprehend apprehended "
                    "apprehending".split(), "arrested"),
    **dict.fromkeys("displace displaces displaced displacing uproot uprooted".split(), "displaced"),
}
# Verbs whose subject is the victim.
INTRANSITIVE_STATUS = {
    **dict.fromkeys("die dies died dying perish perishes perished".split(), "killed"),
    **dict.fromkeys("flee flees fled fleeing".split(), "displaced"),
    **dict.fromkeys("succumbed succumb succumbs".split(), "killed"),  # "succumbed to his injuries"
    **dict.fromkeys("hospitalized hospitalised".split(), "injured"),
    "missing": "missing",  # "two journalists are missing", parsed as a progressive verb
}
# Adjectives and participles predicated of the victim: "five were dead", "left 3 wounded", "remain missing".
ADJECTIVE_STATUS = {
    "dead": "killed",
    "wounded": "injured",
    "injured": "injured",
    "hurt": "injured",
    "missing": "missing",
    "displaced": "displaced",
    "homeless": "displaced",
}
# Nouns that name the victims or the toll itself: "45 fatalities", "the death toll rose to 45".
NOUN_STATUS = {
    **dict.fromkeys("death deaths fatality fatalities dead body bodies corpse corpses killing killings murder "
                    "murders massacre slaying slayings assassination".split(), "killed"),
    **dict.fromkeys("injury injuries wounded injured wound wounds".split(), "injured"),
    **dict.fromkeys("hostage hostages captive captives abductee abductees abduction abductions kidnapping "
                    "kidnappings".split(), "kidnapped"),
    **dict.fromkeys("arrest arrests detainee detainees".split(), "arrested"),
}
# Heads that are tolls: a count attaches through "rose to", "reached", "stood at", "of".
TOLL_NOUNS = {"toll", "tally"}
# Nouns that mean bodies found: the same deaths as a toll, never new ones.
BODY_NOUNS = {"body", "bodies", "corpse", "corpses"}
# "shot dead", "beaten to death", "burned alive"... the verb plus this word kills.
KILLING_COMPLEMENTS = {"dead", "death"}
KILLING_VERBS_WITH_COMPLEMENT = {"shot", "shoot", "shooting", "beaten", "beat", "stabbed", "stab", "burned", "burnt",
                                 "hacked", "gunned", "bludgeoned", "crushed", "stoned", "found", "left", "leaving",
                                 "leave", "leaves", "confirmed", "declared", "reported", "feared", "pronounced"}
# Phrases with "take" / "hold": "taken hostage", "taken captive", "taken into custody".
TAKEN_AS = {"hostage": "kidnapped", "captive": "kidnapped", "prisoner": "kidnapped", "custody": "arrested"}
# "lost his life", "lost their lives"
LIFE_NOUNS = {"life", "lives"}

# -- victims -----------------------------------------------------------------------
VICTIM_KINDS = {
    **dict.fromkeys("civilian civilians resident residents villager villagers bystander bystanders passerby "
                    "passersby pedestrian pedestrians worshipper worshippers worshiper worshipers passenger "
                    "passengers farmer farmers shepherd shepherds student students patient patients "
                    "family families refugee refugees".split(), "civilians"),
    **dict.fromkeys("child children kid kids boy boys girl girls baby babies infant infants toddler toddlers "
                    "teen teens teenager teenagers minor minors schoolchildren schoolboy schoolboys schoolgirl "
                    "schoolgirls son sons daughter daughters".split(), "children"),
    **dict.fromkeys("woman women mother mothers wife wives".split(), "women"),
    **dict.fromkeys("soldier soldiers troop troops serviceman servicemen servicemember servicemembers marine "
                    "marines sailor sailors airman airmen paratrooper paratroopers conscript conscripts "
                    "reservist reservists officer officers commander commanders guard guards "
                    "personnel".split(), "soldiers"),
    **dict.fromkeys("police policeman policemen policewoman policewomen cop cops gendarme gendarmes "
                    "constable constables".split(), "police"),
    **dict.fromkeys("militant militants fighter fighters insurgent insurgents rebel rebels jihadist jihadists "
                    "gunman gunmen terrorist terrorists combatant combatants attacker attackers assailant "
                    "assailants extremist extremists militiaman militiamen bandit bandits "
                    "separatist separatists".split(), "militants"),
    **dict.fromkeys("journalist journalists reporter reporters photographer photographers photojournalist "
                    "photojournalists cameraman cameramen correspondent correspondents".split(), "journalists"),
    **dict.fromkeys("medic medics paramedic paramedics nurse nurses doctor doctors volunteer volunteers".split(),
                    "aid_workers"),
}
AID_WORKER_PHRASES = ("aid worker", "aid workers", "humanitarian worker", "humanitarian workers", "relief worker",
                      "relief workers", "un staff", "staff members")
# Nouns that can be victims without being in VICTIM_KINDS (kind "people").
PERSON_NOUNS = set(
    "people person persons man men individual individuals member members leader leaders official officials "
    "worker workers employee employees protester protesters protestor protestors demonstrator demonstrators "
    "migrant migrants prisoner prisoners inmate inmates suspect suspects victim victims others other "
    "head chief commander boss spokesman spokeswoman secretary-general minister mayor governor "
    "brother brothers father fathers husband husbands relative relatives occupant occupants crew "
    "tourist tourists driver drivers teacher teachers miner miners pilgrim pilgrims".split()
) | set(VICTIM_KINDS)
# Roles, relations and occupations that are people, beyond VICTIM_KINDS and PERSON_NOUNS.
PERSON_NOUNS |= set(
    "judge judges councilor councillor councilors councillors sarpanch chief chieftain headman elder elders "
    "activist lawmaker lawmakers politician politicians candidate senator legislator mp deputy director "
    "businessman businessmen businesswoman trader traders merchant merchants vendor vendors shopkeeper "
    "shopkeepers owner owners herder herders fisherman fishermen hunter hunters contractor contractors engineer "
    "engineers lawyer lawyers prosecutor magistrate priest priests pastor pastors imam imams cleric clerics monk "
    "monks nun nuns sheikh chairman chairperson wife husband sister sisters son mother father cousin uncle "
    "nephew niece neighbour neighbor friend friends youth youths teenager adult adults infant passerby "
    "pedestrian motorist motorists cyclist rider riders motorcyclist pilot pilots guard guards bodyguard "
    "bodyguards watchman agent agents informant informants collaborator collaborators spy spies ranger "
    "rangers warden colonel major captain lieutenant sergeant corporal brigadier general generals recruit "
    "recruits cadet cadets volunteer militiaman member members supporter supporters follower followers "
    "delegate delegates envoy diplomat diplomats employee employees staffer staffers labourer labourers "
    "laborer laborers farmworker tribesman tribesmen villager local locals citizen citizens national nationals "
    "girl woman boy man individual someone somebody anyone person victim parents parent child grandmother "
    "grandfather grandson granddaughter stepfather stepmother stepson stepdaughter toddler roommate "
    "girlfriend boyfriend fiance fiancee partner ex-wife ex-husband classmate classmates student shooter "
    "gunman suspect".split())
# Word endings that name people: "policeman", "spokeswoman", "activist", "separatists".
PERSON_SUFFIXES = ("man", "men", "woman", "women", "ist", "ists", "ian", "ians")
# Counted plurals that are not people: "killed 30 cattle" is not a casualty claim.
NON_PERSON_NOUNS = {"cattle", "cows", "animals", "livestock", "goats", "sheep", "camels", "birds", "dogs", "horses",
                    "chickens", "donkeys", "pigs", "percent", "points", "dollars", "euros", "years", "days", "hours",
                    "minutes", "months", "weeks", "times", "kilometres", "kilometers", "miles", "metres", "meters",
                    "homes", "houses", "buildings", "vehicles", "cars", "trucks", "tanks", "drones", "missiles",
                    "rockets", "shells", "aircraft", "ships", "boats", "hectares", "tonnes", "tons", "votes",
                    "seats", "shares", "jobs", "projects", "plans", "deals", "bills", "talks", "checklist",
                    "playlist", "waitlist", "shortlist", "wrists", "twists", "layman", "caiman", "median",
                    "meridian"}
# Quantity heads: "dozens of corpses", "hundreds of people", "a number of soldiers".
QUANTITY_HEADS = {"dozen", "dozens", "score", "scores", "hundred", "hundreds", "thousand", "thousands",
                  "million", "millions", "number", "handful", "couple", "pair", "several", "many", "few",
                  "total", "tens"}

# -- attack types --------------------------------------------------------------------
ATTACK_TYPES = (
    "airstrike", "drone_strike", "missile_strike", "rocket_attack", "shelling", "shooting", "bombing",
    "suicide_bombing", "ground_assault", "stabbing", "arson", "chemical_attack", "kidnapping", "other",
)
# A word that fixes the type wherever it stands in the trigger's phrase (head or modifier), most specific first.
TYPE_MARKERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("suicide_bombing", frozenset({"suicide"})),
    ("chemical_attack", frozenset({"chemical", "chlorine", "sarin", "gas", "toxic"})),
    ("drone_strike", frozenset({"drone", "drones", "uav", "uavs", "kamikaze", "shahed", "shaheds"})),
    ("missile_strike", frozenset({"missile", "missiles", "ballistic", "cruise"})),
    ("rocket_attack", frozenset({"rocket", "rockets", "katyusha", "katyushas", "qassam"})),
    ("airstrike", frozenset({"airstrike", "airstrikes", "air", "aerial", "warplane", "warplanes", "jet", "jets",
                             "bomber", "bombers", "helicopter", "helicopters", "gunship", "gunships", "airstrikes"})),
    ("shelling", frozenset({"shelling", "shelled", "shells", "shell", "artillery", "mortar", "mortars", "howitzer",
                            "howitzers", "bombardment", "bombardments", "tank", "tanks", "launcher", "launchers",
                            "projectiles",
                            "projectile", "mlrs", "grad", "grads", "rpg", "rpgs", "atgm", "atgms", "cannon", "cannons"})),
    ("bombing", frozenset({"bomb", "bombs", "bombing", "bombings", "bombed", "explosion", "explosions", "blast",
                           "blasts", "ied", "ieds", "explosive", "explosives", "landmine", "landmines", "mine",
                           "grenade", "grenades", "detonated", "exploded", "car-bomb", "dynamite", "detonating",
                           "detonate", "tnt", "molotov"})),
    ("shooting", frozenset({"shooting", "shootings", "gunfire", "gunshot", "gunshots", "shot", "shots", "sniper",
                            "snipers", "gunmen", "gunman", "shootout", "opened", "gun", "guns", "machinegun",
                            "machineguns", "rifle", "rifles", "bursts", "firearm", "firearms", "pistol", "pistols"})),
    ("stabbing", frozenset({"stabbing", "stabbings", "stabbed", "knife", "machete", "hacked"})),
    ("arson", frozenset({"arson", "torched", "burned", "burnt", "firebombed", "firebomb", "ablaze", "burning",
                         "torching", "incendiary"})),
    ("kidnapping", frozenset({"kidnapping", "kidnappings", "abduction", "abductions", "abducted", "kidnapped"})),
    ("ground_assault", frozenset({"raid", "raids", "raided", "stormed", "assault", "assaults", "clash", "clashes",
                                  "clashed", "offensive", "incursion", "incursions", "ambush", "ambushed",
                                  "ambushes", "storming", "gunbattle", "firefight", "battle", "battles", "fighting",
                                  "fought", "skirmish", "skirmishes", "exchanged", "exchange", "encounter",
                                  "encountered", "operation", "operations"})),
)
# Words that start an attack claim (nouns and verbs); other markers only refine one.
ATTACK_NOUNS = {
    "airstrike", "airstrikes", "strike", "strikes", "raid", "raids", "attack", "attacks", "bombing", "bombings",
    "bombardment", "shelling", "explosion", "explosions", "blast", "blasts", "ied", "ieds", "rocket", "rockets",
    "missile", "missiles", "drone", "drones", "mortar", "mortars", "gunfire", "shooting", "shootings", "assault",
    "assaults", "clash", "clashes", "ambush", "ambushes", "incursion", "incursions", "stabbing", "stabbings",
    "arson", "kidnapping", "kidnappings", "abduction", "abductions", "shootout", "gunbattle",
    "firefight", "bomb", "bombs", "barrage", "salvo", "onslaught", "bomber", "bombers", "rcied", "vbied",
    "svbied", "landmine", "landmines", "dynamite", "skirmish", "skirmishes", "battle", "battles", "fighting", "shots",
    "projectiles", "explosives", "grenade", "grenades", "shell", "shells", "bursts", "bombardments", "operation",
    "operations", "encounter", "fire",
}
ATTACK_VERBS = {
    "bomb", "bombed", "bombing", "shell", "shelled", "shelling", "strike", "struck", "striking", "strikes",
    "attack", "attacked", "attacking", "attacks", "raid", "raided", "raiding", "storm", "stormed", "storming",
    "ambush", "ambushed", "pound", "pounded", "pounding", "pummel", "pummelled", "pummeled", "target",
    "targeted", "targeting", "shoot", "shot", "shooting", "stab", "stabbed", "torch", "torched", "abduct",
    "abducted", "kidnap", "kidnapped", "detonate", "detonated", "explode", "exploded", "clash", "clashed",
    "hit", "hits", "firebombed", "kidnapping", "abducting", "fought", "fire", "fired", "firing", "encountered",
    "exchanged", "detonating", "detonate", "burned", "burnt", "burning", "torching",
}
# Verbs that carry a weapon noun to its target: "launched rockets into Haifa", "fired missiles at".
LAUNCH_VERBS = {"launch", "launched", "launching", "fire", "fired", "firing", "lob", "lobbed", "send", "sent",
                "shoot", "shot", "drop", "dropped", "dropping", "hurl", "hurled", "rain", "rained", "plant",
                "planted", "planting", "throw", "threw", "thrown", "use", "used", "using"}
# Things set alight in an attack: "burned several houses", "burned the offices".
BURNABLE = frozenset("""house houses home homes office offices building buildings vehicle vehicles car cars bus buses
truck trucks shop shops store stores market markets church churches mosque mosques school schools village villages
crops fields field hut huts station stations headquarters warehouse warehouses property properties tyres tires""".split())
# What an attack on soldiers' positions is: ACLED's "armed clash" (a ground assault), not a strike on civilians.
MILITARY_TARGETS = {"position", "positions", "checkpoint", "checkpoints", "check", "base", "bases", "post", "posts",
                    "outpost", "outposts", "forces", "soldiers", "troops", "police", "patrol", "patrols", "convoy",
                    "barracks", "camp", "camps", "frontline", "front", "trenches", "unit", "units", "army",
                    "military", "station", "stations", "policemen", "fighters", "militants", "militiamen"}
# "strike" also means a labour strike: a strike counts only with military words near it and no labour words.
STRIKE_CONTEXT = {"air", "drone", "missile", "military", "airstrike", "deadly", "lethal", "precision", "retaliatory",
                  "targeted", "artillery", "rocket", "coalition", "killed", "kill", "killing", "kills", "hit", "hits",
                  "struck", "pounded", "launched", "carried", "conducted", "destroyed", "aerial", "naval", "pre-emptive",
                  "preemptive", "overnight"}
LABOUR_CONTEXT = {"workers", "worker", "union", "unions", "plant", "factory", "staff", "employees", "general",
                  "hunger", "pay", "wage", "wages", "walkout", "nationwide", "teachers", "doctors", "nurses", "rail",
                  "transport", "dockworkers", "miners", "pilots", "two-week", "one-day", "three-day", "week-long",
                  "day-long", "indefinite", "talks", "picket", "lucky", "first", "tax", "strike-hit"}
# Weapons named with an attack: recorded as the claim's weapon.
WEAPON_WORDS = {
    "launchers", "launcher", "machineguns", "machinegun", "ied", "rcied", "vbied",
    "rocket", "rockets", "missile", "missiles", "drone", "drones", "mortar", "mortars", "artillery", "shells",
    "bomb", "bombs", "ied", "ieds", "grenade", "grenades", "knife", "machete", "rifle", "rifles", "gun", "guns",
    "car bomb", "explosives", "explosive", "tank", "tanks", "warplanes", "jets", "helicopter", "helicopters",
    "chlorine", "sarin", "landmine", "landmines",
}

# -- context words -------------------------------------------------------------------
SPEECH_VERBS = {
    "say", "says", "said", "saying", "tell", "told", "telling", "report", "reported", "reports", "reporting",
    "announce", "announced", "announces", "state", "stated", "states", "add", "added", "adds", "confirm",
    "confirmed", "confirms", "claim", "claimed", "claims", "estimate", "estimated", "according", "quote",
    "quoted", "cite", "cited", "allege", "alleged", "alleges", "accuse", "accused", "accuses", "insist",
    "insisted", "warn", "warned", "note", "noted", "show", "showed", "shows", "indicate", "indicated",
    "count", "counted", "record", "recorded", "document", "documented", "put", "wrote", "write", "writes",
    "posted", "tweeted", "explained", "commented", "stressed", "declared",
}
CLAIM_VERBS = {"claim", "claimed", "claims", "claiming"}
DENIAL_VERBS = {"deny", "denied", "denies", "denying", "reject", "rejected", "rejects", "dismiss", "dismissed",
                "refute", "refuted"}
HYPOTHETICAL_VERBS = {
    "threaten", "threatened", "threatens", "threatening", "vow", "vowed", "vows", "warn", "warned", "warns",
    "intend", "intended", "intends", "fear", "feared",
    "fears", "risk", "risks", "aim", "aimed", "try", "tried", "attempt", "attempted", "seek", "sought", "want",
    "wanted", "prepare", "prepared", "preparing", "expect", "expected", "urge", "urged",
    "call", "called", "demand", "demanded", "prevent", "prevented", "foil", "foiled", "thwart", "thwarted",
    "avoid", "avoided", "fail", "failed",
}
MODALS = {"could", "would", "might", "may", "should", "can", "must", "will", "shall", "'ll", "wo", "ca"}
NEGATIONS = {"no", "not", "n't", "never", "none", "nobody", "neither", "nor", "without"}
# Phrases that mark a cumulative toll or context, not the day's event.
CUMULATIVE_MARKERS = (
    "since the war", "since the start", "since the beginning", "since the conflict", "since the outbreak",
    "since the fighting", "since the invasion", "since the offensive", "since the uprising", "since the war began",
    "so far this year", "this year alone", "so far in", "to date", "in total", "in all,", "overall",
    "cumulative", "death toll in the war", "throughout the war", "throughout the conflict", "during the war",
    "over the course of the war", "in the war so far", "since october", "since january", "since 20",
    "since 19", "total of", "in the year since", "over the past year", "in the past year", "over the years",
    "in recent years", "over the past decade", "in the conflict so far", "since it began", "since its start",
)
# A claim these govern is the subject of a protest or a memorial, not news of the day.
COMMEMORATION_WORDS = frozenset("""protest protests protested protesting demonstrate demonstrated demonstrating
demonstration condemn condemned condemning mourn mourned mourning vigil vigils commemorate commemorated
commemorating anniversary memorial denounce denounced""".split())
# Crowd control is no attack: "fired tear gas and rubber bullets at protesters".
CROWD_CONTROL = ("tear gas", "teargas", "rubber bullet", "water cannon", "pepper spray", "stun grenade", "batons",
                 "rubber-coated")
# Done to a weapon, these make it no attack: "shot down a drone", "defused two bombs", "seized an IED".
DISARMING_VERBS = frozenset("""intercepted intercept intercepts downed destroyed destroy seized seize defused
defuse diffused recovered uncovered found dismantled neutralized neutralised cleared confiscated discovered
disarmed shot_down""".split())
# Prepositions that make a victim phrase a subset of an earlier one: "including five children".
SUBSET_HEADS = {"including", "among", "include", "includes", "included"}
# Prepositions after which a past killing is context ("even after assassinating several leaders").
CONTEXT_PREPOSITIONS = {"after", "since", "despite", "following"}

# -- actors ----------------------------------------------------------------------------
DEMONYMS = {
    "israeli": "Israel", "palestinian": "Palestine", "lebanese": "Lebanon", "syrian": "Syria", "iranian": "Iran",
    "iraqi": "Iraq", "yemeni": "Yemen", "saudi": "Saudi Arabia", "egyptian": "Egypt", "jordanian": "Jordan",
    "turkish": "Turkey", "russian": "Russia", "ukrainian": "Ukraine", "american": "United States",
    "u.s.": "United States", "us": "United States", "british": "United Kingdom", "french": "France",
    "german": "Germany", "afghan": "Afghanistan", "pakistani": "Pakistan", "indian": "India",
    "chinese": "China", "sudanese": "Sudan", "somali": "Somalia", "nigerian": "Nigeria", "malian": "Mali",
    "burkinabe": "Burkina Faso", "nigerien": "Niger", "libyan": "Libya", "ethiopian": "Ethiopia",
    "congolese": "DR Congo", "kenyan": "Kenya", "mexican": "Mexico", "colombian": "Colombia",
    "burmese": "Myanmar", "myanmar": "Myanmar", "filipino": "Philippines", "kurdish": "Kurds",
    "azerbaijani": "Azerbaijan", "armenian": "Armenia", "georgian": "Georgia", "belarusian": "Belarus",
    "emirati": "United Arab Emirates", "qatari": "Qatar", "bahraini": "Bahrain", "kuwaiti": "Kuwait",
    "cameroonian": "Cameroon", "chadian": "Chad", "mozambican": "Mozambique", "haitian": "Haiti",
    "venezuelan": "Venezuela", "bangladeshi": "Bangladesh", "thai": "Thailand", "korean": "Korea",
    "north korean": "North Korea", "south korean": "South Korea", "japanese": "Japan", "algerian": "Algeria",
    "tunisian": "Tunisia", "moroccan": "Morocco", "ugandan": "Uganda", "rwandan": "Rwanda", "eritrean": "Eritrea",
    "south sudanese": "South Sudan", "polish": "Poland", "dutch": "Netherlands", "canadian": "Canada",
}
# Armed groups and institutions under the names wire copy uses, to one canonical name (the actor list,
# stream/analysis/data/actors.json); ARMED_GROUP_NAMES are the aliases the small model misses or
# mislabels, recognised as ORG before it runs (one-word aliases that are also common words are left out).
ACTOR_ALIASES = {alias: actor.name for alias, actor in actor_list().by_alias.items()}
ARMED_GROUP_NAMES = actor_list().ruler
# AP style's abbreviations of US states ("Jackson, Tenn."); the two-letter postal codes are left out
# (too many collide with words and other places).
US_STATE_ABBREVIATIONS = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}
# The postal codes of US states, read only where a code stands after a town as its container ("Huntsville,
# AL"): alone, too many are words or other places' abbreviations.
US_POSTAL_CODES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky",
    "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

COUNTRY_ALIASES = {
    "u.s.": "United States", "us": "United States", "usa": "United States", "america": "United States",
    "united states": "United States", "u.k.": "United Kingdom", "uk": "United Kingdom", "britain": "United Kingdom",
    "drc": "DR Congo", "dr congo": "DR Congo", "democratic republic of congo": "DR Congo",
    "democratic republic of the congo": "DR Congo", "burma": "Myanmar", "turkiye": "Turkey", "türkiye": "Turkey",
}
# Nouns that stand for a country's or group's armed forces: "Israeli forces", "Russian troops".
FORCE_NOUNS = {"forces", "force", "troops", "army", "military", "soldiers", "police", "militia", "militias",
               "jets", "warplanes", "navy", "airforce", "government", "regime", "authorities", "fighters",
               "militants", "gunmen", "drones", "artillery", "group", "rebels", "insurgents", "attackers",
               "assailants", "jihadists", "terrorists", "bandits", "separatists", "junta"}
# Modifiers that make "men" an armed actor: "two armed men", "masked men".
ARMED_MODIFIERS = {"armed", "masked", "unidentified", "unknown", "gun-wielding", "hooded", "heavily-armed"}
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "who", "which", "that"}

# -- violence in context ------------------------------------------------------------------
# Words that say violence is going on whatever the topic (not "attack", "strike", "fire", "battle", "shot":
# football, markets and film have those too).
VIOLENCE_CUES = frozenset("""
killed killing killings murdered murder murders homicide homicides slain massacre massacred gunfire gunmen gunman
gunshot gunshots stabbed stabbing stabbings bomb bombs bombing bombings bomber blast blasts explosion explosions
explosive explosives ied ieds airstrike airstrikes missile missiles rockets mortar mortars artillery shelling
shelled militants militant insurgents insurgency rebels troops soldiers militia militias militiamen jihadists
terrorists terrorist terrorism attackers assailants casualties beheaded hostage hostages kidnapped abducted
kidnapping abduction wounded firearm firearms rifle rifles gun guns shooting shootings sniper snipers grenade
grenades assassinated assassination ambush ambushed armed warplanes airstrike fatally torture tortured hitmen
hitman gang gangs cartel cartels drive-by shootout wounds brigade battalion battalions militiaman dissidents
tribesmen paramilitary paramilitaries guerrillas guerrilla jihadist insurgent gunfight firefight mutilated
dismembered decapitated muzzled gagged handcuffed strangled lynched sicarios clashed
""".split())
# Nouns that are armed men only with a name or a military word on them: "LNA forces", "the Myanmar
# military", "security forces" (not "market forces", "the military budget").
ARMED_COLLECTIVES = frozenset("forces military army police fighters faction factions division units officers "
                              "guard guards".split())
VIOLENCE_PHRASES = ("small arms", "machine gun", "machinegun", "opened fire", "open fire", "frontline",
                    "front line", "ceasefire", "armed forces", "security forces", "armed group", "heavy weapons",
                    "shoot-out", "organized crime", "organised crime", "drug traffick", "slit", "hands tied",
                    "legs tied", "feet tied", "signs of violence", "signs of torture", "plastic bag", "criminal group")
# A death from these is no casualty claim: "has died aged 84", "died of cancer", "killed in a car crash".
NATURAL_DEATH = ("aged ", "age of", "cancer", "illness", "natural causes", "heart attack", "stroke", "disease",
                 "peacefully", "in his sleep", "in her sleep", "overdose", "after a long", "complications",
                 "pneumonia", "covid", "coronavirus", "drowned", "heart failure")
# Nor is any death in these, however it is worded: "killed in a car crash".
ACCIDENTS = ("car crash", "road accident", "traffic accident", "plane crash", "air crash", "bus crash",
             "train crash", "helicopter crash", "car accident", "earthquake", "tsunami", "flood", "landslide",
             "waves", "hurricane", "cyclone", "typhoon", "storm", "disaster", "catastrophe", "famine", "epidemic",
             "disease", "pandemic")
# Verbs that report a death found or left ("found dead", "left 7 dead"): the death itself may be natural.
DEATH_REPORTING_VERBS = frozenset("found left leaving leave leaves confirmed declared reported feared pronounced".split())
# Words that report a death without saying it was violent: they need a violent article.
DEATH_WORDS = frozenset("""
die dies died dying perish perished perishes succumbed succumb succumbs dead death deaths fatality fatalities
body bodies corpse corpses lost lives
""".split())
# Attack words that are also everyday words ("attacked the plan", "stormed to victory", "bid battle"):
# they make a claim only with a violence cue in the same sentence.
AMBIGUOUS_ATTACK_WORDS = frozenset("""
attack attacks attacked attacking target targeted targeting hit hits struck strike strikes stormed storming
raid raids raided battle battles fighting fought clash clashes clashed assault assaults shell shells bursts
fire fired firing fires shots operation operations exchange exchanged encounter encountered offensive
onslaught barrage salvo pounded pounding pummelled pummeled blew blow blown torched set shot shoot striking
shooting shootings explosion explosions blast blasts landmine landmines detonated exploded explode bomb bombs
""".split())

# -- what makes a sentence worth parsing ------------------------------------------------------
# Any of these words may start a claim; sentences without one are never parsed (a source named in such a
# sentence is still remembered, from its entities).
PARSE_WORDS = frozenset().union(
    TRANSITIVE_STATUS, INTRANSITIVE_STATUS, ADJECTIVE_STATUS, NOUN_STATUS, TOLL_NOUNS, BODY_NOUNS, TAKEN_AS,
    LIFE_NOUNS, ATTACK_NOUNS, ATTACK_VERBS, LAUNCH_VERBS, WEAPON_WORDS, DEATH_WORDS,
    AMBIGUOUS_ATTACK_WORDS, *(markers for _, markers in TYPE_MARKERS),
    """shot shoot shooting stabbed fatally mortally succumbed homicide murder killing slaying assassination
    casualties casualty hostage hostages lives dead guns rifles machineguns arms
    weapons launchers artillery howitzers tanks explosives shots projectiles bursts dynamite blew blown""".split(),
)
