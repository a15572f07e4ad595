"""Crisis language in free text typed by clients, in Dutch and English.

Pure and free of I/O: `detect_crisis` takes any string and says whether it contains
language about suicide, self-harm or acute danger (DOMAIN.md, "Safety"). The caller stops
the route and answers with care and the crisis lines.

Design choices:
- Recall over precision. A false alarm costs little (a kind reply, the route resumes); a
  missed one can cost a life. Obvious idioms ("ik ga dood van het lachen", "this traffic is
  killing me") stay negative because the patterns need a first-person wish, plan or act.
- Text is normalised first (`normalise`): casefold, accents off, invisible characters
  dropped, apostrophes dropped ("don't" -> "dont", "m'n" -> "mn"), leetspeak undone inside
  words ("d00d" -> "dood"), punctuation to spaces, letters repeated 3+ times collapsed. What
  is left is words of letters and digits, single spaces, and " . " at sentence ends, so a
  pattern can see where a sentence stops ("ik wil niet meer." versus "ik wil niet meer
  naar ...").
- The phrase lists are data, below. A fragment may use the macros in `_MACROS` written as
  `<name>`; `<w2>` is "zero to two words", `<ik>` the Dutch "I" with its chat spellings.
  Every filler is bounded and every fragment starts at a word, so matching stays linear.
- When fragments of more than one kind match, DANGER wins (the client may need 112 now),
  then SUICIDE (113), then SELF_HARM.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = ["CrisisKind", "CrisisSignal", "detect_crisis", "normalise"]


class CrisisKind(StrEnum):
    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    DANGER = "danger"  # acute danger: violence, being threatened, overdose taken, etc.


@dataclass(frozen=True, slots=True)
class CrisisSignal:
    kind: CrisisKind


# --- Phrase data ---------------------------------------------------------------------------
# Macros: shared pieces of the fragments below. Fillers are bounded ({0,n}) on purpose.
_MACROS: Final[dict[str, str]] = {
    # zero to n arbitrary words, each followed by its single space
    "w1": r"(?:\w+ )?",
    "w2": r"(?:\w+ ){0,2}",
    "w3": r"(?:\w+ ){0,3}",
    "w4": r"(?:\w+ ){0,4}",
    # words that are not a negation: "ik ben niet in gevaar" is not "ik ben in gevaar"
    "nw2": r"(?:(?!(?:niet|nooit|geen|not|never|no)\b)\w+ ){0,2}",
    # words that are neither a negation nor "long ago": past abuse is not acute danger
    "dw3": r"(?:(?!(?:niet|nooit|geen|vroeger|toen|als|not|never|when|as)\b)\w+ ){0,3}",
    # words that bring in no other subject: "ik denk dat hij me iets aandoet" is danger
    "iw3": r"(?:(?!(?:hij|zij|ze|die|hun|men|iemand|he|she|they|someone)\b)\w+ ){0,3}",
    # Dutch
    "ik": r"(?:ik|k|ikke|ikzelf)",
    "niet": r"(?:niet|nt|nie)",
    "wil": r"(?:wil+|wilde|wou|wouw)",
    "adv": (
        r"(?:(?:echt|egt|gewoon|gwn|gewoonweg|liever|graag|het|t|liefst|zo|heel|erg|ook|soms"
        r"|vaak|nu|nou|nog|eigenlijk|alleen|maar|dan|al|wel|best|even|ff|eens|stiekem|af|en"
        r"|toe|weer|steeds|vandaag|vanavond|serieus|zelf|dus|toch|allang|allemaal|zeker"
        r"|elke|dag|keer|meestal|vaker|altijd|bijna|snel) ){0,4}"
    ),
    "self": r"(?:mezelf|mijzelf|me zelf|mij zelf|mezelve|mijn eigen|mn eigen)",
    "me": r"(?:<self>|me|mij)",
    "mijn": r"(?:mijn|mn|m n|me|mijne|mun)",
    "body": (
        r"(?:arm|armen|onderarm|onderarmen|pols|polsen|been|benen|bovenbeen|bovenbenen|dij"
        r"|dijen|buik|huid|lijf|lichaam|arms?|wrists?|thighs?|legs?|skin|stomach)"
    ),
    "aggnl": (
        r"(?:hij|zij|ze|die|iemand|men|mensen|(?:mijn|mn|m n) \w+|de (?:buurman|buurvrouw|buren)"
        r"|die (?:vent|gast|man|vrouw|jongen|jongens)|een (?:man|vrouw|vent|jongen|gast))"
    ),
    "harmnl": (
        r"(?:vermoorden|doden|dood (?:te )?maken|doodmaken|dood (?:te )?slaan|doodslaan"
        r"|neer (?:te )?steken|neersteken|in elkaar (?:te )?slaan|iets aan (?:te )?doen"
        r"|iets aandoen|iets aandoet|wat aan (?:te )?doen|wat aandoen|pijn (?:te )?doen|pijn doet"
        r"|slaan|steken|aanvallen|afmaken|af te maken|van kant (?:te )?maken|verkrachten"
        r"|ontvoeren|wurgen)"
    ),
    "vehicle": (
        r"(?:trein|metro|tram|bus|auto|vrachtwagen|vrachtauto|train|subway|car|truck|lorry)"
    ),
    "height": (
        r"(?:brug|flat|flatgebouw|dak|balkon|gebouw|toren|kerktoren|viaduct|klif|rots|rotsen"
        r"|raam|parkeergarage|bridge|building|roof|rooftop|balcony|cliff|tower|window"
        r"|car park|parking garage|overpass|ledge)"
    ),
    "pills": (
        r"(?:pillen|pilletjes|tabletten|medicijnen|medicatie|slaappillen|slaapmiddel|slaapmiddelen"
        r"|paracetamol|paracetamols|oxazepam|diazepam|temazepam|lorazepam|seroquel|quetiapine"
        r"|lithium|antidepressiva|ibuprofen|tramadol|oxycodon|benzos|xanax|strip|strips|doosje"
        r"|potje|pills|meds|medication|medications|medicine|tablets|tabs|sleeping pills"
        r"|painkillers|tylenol|advil|aspirin|antidepressants|oxycodone|insulin)"
    ),
    # quantities that on their own say "far more than a dose"
    "many": (
        r"(?:te ?veel|teveel|veel te veel|heel veel|zoveel|zo veel|een hele|hele|een handvol"
        r"|handvol|een handje|een doos|een doosje|een pot|een potje|een strip|twee strips|strips"
        r"|alle strips|[1-9]\d+|twintig|dertig|veertig|vijftig|zestig|honderd|tientallen"
        r"|too many|way too many|so many|a whole|the whole|a bottle of|a bottle|a handful of"
        r"|a box of|a pack of|loads of|lots of|a lot of|a bunch of|twenty|thirty|forty|fifty"
        r"|a hundred|hundreds of|dozens of)"
    ),
    # "all my pills" is also what a client says who takes the daily dose: only with "at once"
    "allpills": (
        r"(?:alle|al mijn|al mn|al me|al de|allemaal|all|all my|all of my|all the|all of the)"
        r" <w1><pills> (?:in (?:een|1) keer|in een klap|tegelijk|tegelijkertijd|ineens"
        r"|achter elkaar|allemaal|at once|at the same time|in one go|together)"
    ),
    "taken": r"(?:ingenomen|genomen|geslikt|doorgeslikt|door geslikt|opgenomen)",
    # English
    "aggen": (
        r"(?:he|she|they|hes|shes|theyre|hell|shell|theyll|someone|somebody|people|my \w+"
        r"|this (?:guy|man|woman)|that (?:guy|man|woman)|a (?:guy|man|woman)"
        r"|some (?:guy|man|woman|people))"
    ),
    "victim": r"(?:me|us|my (?:kids?|children|son|daughter|baby))",
    "myself": r"(?:my ?self|meself|mself|myslef)",
    # right after "cut/burn/hurt myself": an accident, or "a slice of cake"
    "accidenten": (
        r"(?! (?:a|an|some|accidentally|by accident|by mistake|on the|on a|on some"
        r"|in the kitchen|at work|at the gym|playing|cooking|shaving"
        r"|while (?:cooking|shaving|playing|working|running|cleaning|opening|making|doing))\b)"
    ),
    "accidentnl": (
        r"(?! <w2>(?:per ongeluk|perongeluk|bij het|tijdens het|met koken|aan (?:het|een|de|mijn"
        r"|mn) (?:papier|blik\w*|glas|oven|strijkijzer|pan|fornuis|kachel|waterkoker|rand)"
        r"|in (?:mijn|mn) (?:vinger|duim)|voor (?:mijn|mn|me|de) (?:kop|hoofd))\b)"
    ),
}

# Dutch, suicide. Any mention of "zelfmoord" counts (113 also helps the bereaved); news
# words such as "zelfmoordaanslag" do not. Wishes need "ik": "mijn opa is dood" is grief.
_NL_SUICIDE: Final[tuple[str, ...]] = (
    r"\b[sz]el[fv] ?mo{1,2}r[dt](?!aanslag|terroris|commando)\w*",
    r"\bzelf ?doding\w*",
    r"\bsu[ie]{0,2}[cs]{1,2}[iy]d\w*\b(?! (?:aanslag|aanslagen|terrorist|squad)\b)",
    r"\b(?:doods|levens)(?:wens|gedachte|gedachten|gedachtes)\b",
    r"\b(?:levensmoe|afscheidsbrief|afscheidsbrieven)\b",
    # "ik wil dood", "soms wil ik dood", "dat ik dood wil"; not "ik wil dood graag mee"
    r"\b<ik> <nw2><wil> <adv>(?:dood|doodgaan|sterven|overlijden)\b"
    r"(?! (?:graag|gewoon|normaal|simpel|eenvoudig|leuk|stil|moe|ziek|eng|bang|op)\b)",
    r"\b<wil> <ik> <adv>(?:dood|doodgaan|sterven|overlijden)\b"
    r"(?! (?:graag|gewoon|normaal|simpel|eenvoudig|leuk|stil|moe|ziek|eng|bang|op)\b)",
    r"\b<ik> <adv>(?:dood|sterven)(?: gaan)? (?:wil|wilde|wou)\b",
    r"\b(?:wou|wilde|wil|willen|hoop|hoopte|wens|wenste) dat <ik> <adv>dood (?:was|ben|ga|zou)\b",
    r"\bwas <ik> (?:(?:maar|toch|nou|nu|gewoon|al|echt) ){1,3}dood\b",
    r"\bhoop <w2><ik> <adv>(?:dood ?ga|dood ?gaan|sterf|overlijd)\b",
    # "ik ben liever dood", but not "liever dood dan dat ik naar die verjaardag ga"
    r"\b(?:liever|beter) dood\b(?! dan (?!<w3>(?:leven|verder|zo|dit|doorgaan)\b))",
    r"\bbeter af (?:zonder (?:mij|me)|als <ik> (?:er )?(?:niet meer ben|dood ben|weg ben))\b",
    r"\b(?:ben|is) <w2>een last voor (?:iedereen|jullie|de wereld|mijn familie)\b",
    r"\bniemand (?:zal|gaat|zou) <w1>(?:me|mij) <w1>missen\b",
    # "ik wil niet meer leven", "ik wil er niet meer zijn", and "ik wil niet meer." alone
    r"\b<ik> <nw2><wil> <adv><niet> <adv>meer <adv>"
    r"(?:leven|bestaan|verder|verder leven|doorleven|wakker worden)\b",
    r"\b<wil> <ik> <adv><niet> <adv>meer <adv>(?:leven|bestaan|verder leven|doorleven)\b",
    r"\b<wil> (?:<ik> )?<adv>(?:er|hier) <adv><niet> <adv>meer (?:zijn|wezen|bestaan)\b",
    r"\b<ik> <wil> (?:(?:gewoon|echt|het|t|allemaal|eigenlijk|ook|nu|gwn|egt|nou|gewoonweg"
    r"|dit|zo|echt) ){0,3}<niet> meer(?= \.|$| (?:ik|help|echt|hoor|sorry|alles|het)\b)",
    # "als ik er niet meer ben" (when I am gone), "was ik er maar niet"
    r"\bben er <w2><niet> meer(?= \.|$)",
    r"\b<ik> er <w3><niet> meer (?:ben|was|zou zijn|zal zijn)\b(?! geweest\b)",
    r"\bwas <ik> er (?:(?:maar|toch|gewoon|nou) ){1,2}<niet>(?: meer)?(?= \.|$)",
    r"\bweg (?:uit|van) (?:dit|het|mijn|mn) leven\b(?! van\b)",
    r"\bhet (?:leven )?hoeft <w2>(?:voor|van) mij <w2><niet> meer\b",
    r"\bhet leven hoeft <w2><niet> meer\b",
    r"\bdenk <adv>(?:\w+ )?aan (?:doodgaan|dood gaan|sterven|de dood|dood zijn|mijn dood"
    r"|mijn eigen dood)\b(?! van\b)",
    r"\b(?:(?:niet|nooit) meer|nooit) wakker (?:te )?(?:worden|word)\b",
    r"\bhoop <w2><ik> <w2>niet (?:meer )?wakker\b",
    r"\b(?:voor altijd|voorgoed|eeuwig) (?:gaan )?(?:slapen|verdwijnen)\b",
    r"\b(?:niks|niets) <w1>(?:meer )?om voor te leven\b",
    r"\bnooit geboren\b",
    # an end to it all: "er een eind aan maken", "einde aan mijn leven", "eruit stappen"
    r"\ber <w3>eind(?:e|je)? (?:aan )?<w2>(?:maken|maak|te maken|gemaakt|breien)\b",
    r"\b(?:maak|maken|ga|wil) (?:<ik> )?er <w2>eind(?:e|je)? aan\b",
    r"\beind(?:e|je)? (?:maken )?aan <mijn> (?:eigen )?leven\b",
    r"\b<mijn> (?:eigen )?leven <adv>(?:te )?(?:beeindigen|beindigen|be eindigen|nemen"
    r"|afsluiten)\b",
    r"\buit het leven <w2>(?:stappen|stap|gaan|te stappen|te gaan)\b",
    r"\b<ik> <w4>(?:eruit|er uit) (?:te )?stap(?:pen)?\b",
    r"\bstap (?:<ik> )?(?:eruit|er uit)(?= \.|$)",
    r"\b<me> <w2>van kant\b",
    # "ik zie het niet meer zitten", "ik zie geen uitweg"
    r"\bz(?:ie|ag|ien) <w3><niet> <adv>meer zitten\b",
    r"\bzie <w2>geen (?:uitweg|toekomst meer|uitweg meer)\b",
    r"\bgeen (?:zin|reden|puf|hoop)(?: meer)? (?:in |om (?:te )?|voor |meer in )?"
    r"(?:het |te |mijn |mn |dit )?leven\b",
    r"\b(?:het|mijn|mn|dit) leven <w2>(?:heeft|had|is) <w2>"
    r"(?:geen zin|zinloos|niks waard|niets waard|niet de moeite|niet meer de moeite)",
    r"\b(?:het|dit|mijn|mn) leven <adv>(?:zat|beu|moe)\b",
    r"\bklaar met (?:het |mijn |mn |dit )?leven\b",
    # "mezelf iets aandoen" is the Dutch euphemism for suicide
    r"\b<self> <w2>(?:iets|wat)(?: ergs)? aan ?(?:te )?(?:doen|doe|deed|gedaan)\b",
    r"\b<ik> <iw3>(?:me|mij) <w2>(?:iets|wat)(?: ergs)? aan ?(?:te )?(?:doen|doe)\b",
    r"\bdoe (?:<ik> )?<me> <w2>(?:iets|wat) aan\b",
    r"\b<self> <w2>(?:doden|dood (?:te )?maken|doodmaken|om het leven (?:te )?brengen"
    r"|van het leven (?:te )?beroven)\b",
    r"\bmaak (?:<ik> )?<me> dood\b",
    # methods: pills, train, height, hanging, wrists
    r"\b<pills> <w4>(?:om|zodat|en) <w3>(?:dood|sterven|er een eind|niet meer wakker"
    r"|nooit meer wakker)\b",
    r"\b(?:spaar|spaarde|gespaard|opgespaard|sparen|verzamel|verzameld|hamster|gehamsterd)"
    r" <w3><pills>\b",
    r"\b<pills> <w2>(?:gespaard|opgespaard|verzameld|sparen|verzamelen)\b",
    r"\b(?:wil|ga|zal|denk|overweeg) <w3>(?:<many>|alle|al mijn|al mn) <w1><pills>"
    r" (?:in een keer |tegelijk |allemaal |ineens )?(?:innemen|in te nemen|slikken|te slikken"
    r"|nemen|te nemen)\b",
    r"\boverdos(?:is|isse)\b",
    r"\b(?:spring|springen|gooi|gooien|werp|werpen)(?! (?:we|wij|jullie|ze|zij)\b)"
    r"(?: <me>)? <w2>(?:voor|onder) (?:de|een|het) <vehicle>\b",
    r"\b(?:voor|onder) (?:de|een|het) <vehicle> <w2>(?:springen|spring|te springen|gooien"
    r"|te gooien|gaan liggen|liggen|lopen|te lopen|werpen)\b",
    r"\b(?:spring|springen|gooi|gooien|werp|werpen)(?! (?:we|wij|jullie|ze|zij)\b)"
    r"(?: <me>)? <w2>(?:van|vanaf|uit|af) (?:de|het|een|dat|die|mijn|mn) <height>\b",
    r"\b(?:van|vanaf|uit|af) (?:de|het|een|dat|die|mijn|mn) <height> <w2>(?:springen|spring"
    r"|te springen|af springen|afspringen|gooien|te gooien|werpen|storten)\b",
    r"\b(?:wil|ga|zal|denk|dacht|overweeg) <w3>(?:om )?(?:te )?springen(?= \.|$)",
    r"\b<me> <w2>op ?(?:te )?(?:hangen|knopen)\b",
    r"\b(?:hang|knoop) (?:<ik> )?<me> <w2>op\b",
    r"\b(?:touw|strop|riem|kabel|snoer) <w2>om <mijn> (?:nek|hals)\b",
    r"\bstrop <w2>(?:klaar|gemaakt|maken|geknoopt|knopen)\b",
    r"\btouw <w2>(?:gekocht|klaargelegd|klaar gelegd|klaar)\b(?! voor (?:de|het|een|mijn|mn)\b)",
    r"\b(?:pols|polsen|ader|aders) <w2>(?:doorsnijden|door te snijden|doorgesneden|doorsnijd"
    r"|opensnijden|open te snijden|opengesneden)\b",
    r"\bsnij <w2><mijn> (?:pols|polsen|aders) (?:door|open)\b",
)

# Dutch, self-harm. Accidents ("mezelf gesneden bij het koken") and "ik kan mezelf wel
# voor mijn kop slaan" (regret) stay negative; "krassen op mijn telefoon" too.
_NL_SELF_HARM: Final[tuple[str, ...]] = (
    r"\bzelf ?(?:beschadig\w*|verwond\w*|mutilatie)\b",
    r"\bautomutilatie\b",
    r"\b<self> <w3>(?:snijden|snijd|snij|sneed|gesneden|krassen|kras|gekrast|kraste|branden"
    r"|brand|verbranden|gebrand|beschadigen|beschadig|beschadigd|verwonden|verwond|slaan|sla"
    r"|sloeg|geslagen|bijten|bijt|krabben|uithongeren|pijn (?:te )?(?:doen|doe|gedaan|deed))"
    r"\b<accidentnl>",
    r"\b<ik> <iw3>(?:me|mij) (?!<w1>(?:per ongeluk|perongeluk))<w2>(?:gesneden|gekrast|snijden"
    r"|krassen|gebrand|verbrand|pijn (?:te )?doen)\b<accidentnl>",
    r"\b(?:expres|met opzet|bewust) <w3>(?:gesneden|gekrast|gebrand|verbrand|verwond"
    r"|pijn gedaan)\b",
    r"\b(?:snij|snijd|kras|brand|beschadig|verwond|sla|bijt) (?:<ik> )?<me>\b"
    r"(?! een\b)<accidentnl>",
    r"\bdoe (?:<ik> )?<me> <w1>pijn\b",
    r"\b<ik> <iw3>(?:kras|kraste|krasten)\b"
    r"(?! <w1>(?:op|over|in) (?:de|het|een) (?!<body>\b))",
    r"\b(?:heb|had|ben|was) <w3>gekrast\b",
    r"\b(?:te|weer|gaan|aan het|om te|wil|ga|moet|zal|zin in) krassen\b(?! op (?:de|het|een)\b)",
    r"\b(?:weer|opnieuw|alweer) (?:gaan )?(?:gesneden|gekrast|snijden|krassen)\b",
    r"\b(?:in|op) <mijn> <body> (?:\w+ )?(?:gesneden|gekrast|gebrand|snijden|krassen|branden)\b",
    r"\b<body> <w2>(?:onder de|vol|vol met) (?:sneetjes|sneden|snijwonden|brandwonden)\b",
    r"\btot (?:het|ze|ik) (?:bloedt|bloeden|bloed)\b",
    r"\b(?:kras|krassen|snee|sneden|sneetje|sneetjes|snijwond|snijwonden|brandwond|brandwonden)"
    r" (?:op|in) <mijn> <body>\b",
    r"\bsnij(?:den|d)? (?:in|op) <mijn> <body>\b",
    r"\b(?:drang|neiging|zin|behoefte) <w2>(?:te |om te )?(?:snijden|krassen|branden)\b",
    r"\b(?:hoofd|kop) <w2>tegen (?:de|een|het) (?:muur|deur|kast|grond) <w2>(?:slaan|sla"
    r"|bonken|bonk|beuken|beuk|geslagen|gebonkt)\b",
    r"\b(?:sla|bonk|beuk|bons) <w2>(?:mijn|mn|me) (?:hoofd|kop) <w1>tegen\b",
)

# Dutch, acute danger: violence against the client, a weapon, an overdose already taken,
# the urge to hurt someone else. "Ik kan hem wel vermoorden" (irritation) stays negative.
_NL_DANGER: Final[tuple[str, ...]] = (
    r"\b(?:<ik>|we|wij) (?:ben|zijn|zit|zitten|voel (?:me|mij)) <nw2>in (?:groot |acuut |direct"
    r" |levens)?gevaar\b",
    r"\b(?:mijn|mn) (?:kind|kinderen|zoon|dochter|baby) (?:is|zijn) <nw2>in gevaar\b",
    r"\blevensgevaar\b",
    # verbs whose subject can only be someone else: "(hij) slaat me", "bedreigt me"
    r"\b(?:slaat|sloeg|schopt|schopte|stompt|stompte|wurgt|wurgde|mishandelt|mishandelde"
    r"|bedreigt|bedreigde|verkracht|verkrachtte|misbruikt|misbruikte|stalkt|stalkte) <w1>"
    r"(?:me|mij|ons)\b"
    r"(?! <w2>(?:met (?:dammen|schaken|tennis|kaarten|stomheid)))",
    r"\b<aggnl> <dw3>(?:me|mij|ons) <dw3>(?:geslagen|geschopt|gewurgd|mishandeld|bedreigd"
    r"|verkracht|misbruikt|aangevallen|gestoken|in elkaar geslagen|opgesloten|geduwd)\b",
    r"\b<aggnl> <dw3>(?:me|mij|ons|mijn kinderen|de kinderen) <w2><harmnl>\b",
    r"\bdreig\w* <w2>(?:me|mij|ons) <w2>(?:te )?<harmnl>\b",
    r"\b(?:<ik>|we|wij) (?:word|wordt|worden|werd|werden|ben|zijn) <dw3>(?:bedreigd|geslagen"
    r"|mishandeld|aangevallen|gestalkt|achtervolgd|verkracht|misbruikt|opgesloten|gewurgd"
    r"|geschopt|gestoken|in elkaar geslagen|gegijzeld|ontvoerd)\b",
    r"\b(?:huiselijk|huiselijke) geweld\b",
    r"\b(?:gooit|gooide|smijt|smeet) (?:met )?(?:spullen|dingen|borden|stoelen|meubels)\b",
    r"\b<aggnl> <w2>(?:is|wordt|werd) <w2>(?:agressief|gewelddadig)\b",
    r"\b<aggnl> <w2>met (?:een|zijn|haar) (?:mes|pistool|wapen|geweer|vuurwapen|bijl)\b",
    r"\b<aggnl> <w2>(?:heeft|had|pakt|pakte|staat|stond|zwaait|zwaaide|dreigt|dreigde) <w2>"
    r"(?:een|met een|zijn|haar|het) (?:mes|pistool|wapen|geweer|vuurwapen|bijl|hamer)\b",
    # the client wants to hurt someone else
    r"\b<ik> <iw3>(?:wil|ga|zal|wilde|ben van plan om) <w2>(?:iemand|hem|haar|ze|hen|hun|jou"
    r"|je|jullie|iedereen|mensen|(?:mijn|mn) \w+|de buurman|de buurvrouw|die \w+) <w2>"
    r"(?:iets|wat|pijn) <w1>(?:aan ?(?:te )?doen|aandoen|doen)\b",
    r"\b<ik> <iw3>(?:wil|ga|zal|wilde|ben van plan om) <w2>(?:iemand|hem|haar|ze|hen|hun|jou"
    r"|je|jullie|iedereen|mensen|(?:mijn|mn) \w+|de buurman|de buurvrouw|die \w+) <w2>"
    r"(?:vermoorden|doodmaken|dood maken|doodslaan|dood slaan|neersteken|neer steken|afmaken"
    r"|in elkaar slaan|van kant maken|steken|aanvallen|te lijf gaan)\b",
    r"\b(?:zin|drang|neiging|behoefte) (?:om )?<w1>(?:iemand|hem|haar|ze|jou|iedereen"
    r"|(?:mijn|mn) \w+|die \w+) <w2><harmnl>\b",
    r"\bvermoord <w1>(?:hem|haar|iemand|ze|je|jou|jullie|iedereen|(?:mijn|mn) \w+|die \w+)\b",
    r"\b(?:hem|haar|iemand|iedereen) <w2>van kant (?:te )?(?:maken|maak)\b",
    # an overdose already taken
    r"\b(?:heb|had|hebben|ben) <w3><many> <w2><pills> <w3><taken>\b",
    r"\b(?:heb|had|hebben|ben) <w3><allpills> <w2><taken>\b",
    r"\b(?:heb|had|hebben) <w3>(?:een )?overdosis\b",
    r"\boverdosis (?:genomen|ingenomen|geslikt)\b",
    r"\b(?:gif|bleek|bleekmiddel|antivries|chloor|ontstopper) <w1>(?:gedronken|ingenomen"
    r"|geslikt)\b",
    r"\b(?:sta|zit|lig|loop|ben) <w2>op (?:het|de) (?:spoor|rails|spoorbaan)\b",
    r"\b(?:niet|nooit) (?:meer )?veilig (?:thuis|hier|in huis|bij (?:hem|haar|(?:mijn|mn)"
    r" (?:man|vrouw|vriend|vriendin|partner|vader|moeder|ex|broer|zus)))\b",
    r"\b<ik> ben <adv>niet (?:meer )?veilig(?= \.|$)",
    r"\b(?:bel|bellen|belt|gebeld) <w1>(?:112|de ambulance|een ambulance)\b",
    r"\b112 <w1>(?:gebeld|bellen)\b",
)

# English, suicide. "Suicide Squad" and "killing me" (idiom) stay negative.
_EN_SUICIDE: Final[tuple[str, ...]] = (
    r"\bsu[ie]{0,2}[cs]{1,2}[iy]d\w*\b(?! (?:squad|bomber|bombers|bombing|bombings|attack"
    r"|attacks|vest|doors?|mission|drones?)\b)",
    r"\bkill(?:ing|ed|s)? <myself>\b(?! (?:laughing|working|studying|at work|at the gym)\b)",
    r"(?<!\d )\bkms\b",
    r"\bunaliv\w*",
    r"\bsewer ?slide\w*",
    r"\b(?:end|ending|ended|take|taking) (?:my|my own|me own) life\b",
    r"\bend(?:ing)? (?:it|things|everything) (?:all|tonight|now|today|for good|forever"
    r"|once and for all)\b",
    r"\bwant (?:it all|everything|all of it|all this|my life) to (?:end|stop|be over)\b",
    r"\bend(?:ing)? (?:it|it all|everything|things)(?= \.|$)",
    r"\b(?:if|when) (?:i|im) (?:was |were |am |m )?(?:gone|dead|not here anymore|no longer here)"
    r"\b(?! (?:on|for|to|away)\b)",
    r"\b(?:nobody|no one|noone) (?:would|will|is going to) (?:\w+ )?miss me\b",
    r"\bnever wake up\b(?! (?:on time|early|before|in time|at)\b)",
    r"\bthink(?:ing)? <w2>about (?:death|dying|being dead|my death)\b"
    r"(?! (?:my|her|his|the|it)\b)",
    r"\b(?:dont|do not|cant) see (?:the |any )?point (?:in|of) (?:anything|living|life|going on"
    r"|it all)\b",
    r"\b(?:bought|got|have|buy) (?:a |the )?(?:rope|noose)\b(?! for\b)",
    r"(?<!dont )(?<!not )(?<!never )(?<!didnt )(?<!doesnt )\b(?:want|wanna|wanted|wish"
    r"|wishing|ready|deserve|prefer|like) (?:to |2 )?(?:just )?die+\b"
    r"(?! (?:my|your|her|his|the|it|them)\b| of (?:embarrassment|shame|laughter|laughing"
    r"|boredom|cringe|cuteness)\b| laughing\b)",
    r"\b(?:want|wanna|wish|wished) (?:to |2 )?be dead\b",
    r"\bwish (?:that )?(?:i|id) (?:was|were|be|could be|would be|had been) dead\b",
    r"\bfeel like dying\b",
    r"\bbetter off (?:dead|without me|if i (?:was|were) (?:gone|dead)|if i wasnt here"
    r"|if i died)\b",
    r"\brather (?:be dead|die)\b(?! than (?!<w3>(?:live|living|go on|this|be alive"
    r"|continue)\b))",
    r"\b(?:dont|do not|didnt|no longer|never) (?:\w+ )?(?:want|wanna|wish) (?:to |2 )?"
    r"(?:live|be alive|exist|be here|be around|wake up|continue living|keep living"
    r"|carry on)\b(?! (?:with|in|at|near|there|on|together|alone|abroad|by|like that|early"
    r"|so early)\b)",
    r"\b(?:go|going|carry) on (?:anymore|any more|living)\b",
    r"\bcant (?:go on|keep going|keep living)(?: anymore| any more| living|(?= \.|$))",
    r"\bnothing (?:left )?to live for\b",
    r"\b(?:no|not any|no more|no other) (?:reason|reasons|point|purpose) (?:left )?"
    r"(?:to|in|for|of) (?:live|living|life|go on|going on|be alive|being alive|keep going"
    r"|stay alive|staying alive)\b",
    r"\b(?:life|living|my life) (?:isnt|is not|aint|is no longer|isnt really) worth"
    r" (?:it|living)\b",
    r"\bnot worth living\b",
    r"\bpoint (?:of|in) (?:living|life|going on|being alive)\b",
    r"\bdone with (?:life|living|it all|this life|my life)\b",
    r"\bwish (?:i|id) (?:was|were|had) never (?:been )?born\b",
    r"\bwont be (?:here|around|alive) (?:tomorrow|much longer|anymore)\b",
    r"\b(?:goodbye) (?:note|notes|letter|letters)\b",
    # methods
    r"\b(?:jump|jumping|leap|leaping|throw <myself>|throwing <myself>) (?:off|from|in front of"
    r"|under|of) (?:a|the|this|that|my) <w1>(?:<height>|<vehicle>)\b",
    r"\b(?:walk|step|lie down|lay down) (?:in front of|under|on) (?:a|the) (?:train|tracks"
    r"|bus|truck|lorry)\b",
    r"\bhang(?:ing|ed)? <myself>\b",
    r"\b(?:noose|rope) <w2>(?:around|round) my neck\b",
    r"\b(?:tie|tied|tying|made|make|making) (?:a )?noose\b",
    r"\bslit <w1>(?:my )?wrists?\b",
    r"\b(?:going to|gonna|want to|wanna|will|planning to|plan to|about to|thinking (?:of"
    r"|about)) <w2>(?:take|swallow|taking|swallowing) (?:<many>|all|all of|all my|all of my"
    r"|every one of|every single one of) <w2><pills>\b",
    r"\b(?:stockpil\w*|saving up|hoarding|saved up) <w2><pills>\b",
    r"\boverdos(?:e|es|ing)\b(?! on (?:coffee|caffeine|sugar|chocolate|candy|sweets|netflix"
    r"|tv|love|cuteness)\b)",
)

# English, self-harm. Accidents ("burned myself on the oven") stay negative.
_EN_SELF_HARM: Final[tuple[str, ...]] = (
    r"\bself ?(?:harm\w*|injur\w*|mutilat\w*)\b",
    r"(?<!accidentally )(?<!accidently )\b(?:hurt|hurting|harm|harming|harmed|cut|cutting"
    r"|burn|burning|burned|burnt|hit|hitting|scratch|scratching|punch|punching|bruise"
    r"|bruising|starve|starving|bite|biting|carve|carving) <myself>\b<accidenten>",
    r"\b(?:cut|cutting|slash|slashing|carve|carving|burn|burning) (?:my|both my|on my)"
    r" <body>\b(?! (?:on|with the|accident\w*|by accident)\b)",
    r"\burges? to (?:cut|self ?harm|hurt <myself>|harm <myself>|burn <myself>|relapse)\b",
    r"\b(?:relapsed?|relapsing) <w2>(?:cutting|self ?harm\w*|sh)\b",
    r"\b(?:started|start|been|keep|kept|back to|relapsed into) cutting"
    r"(?= again|$| \.| <myself>)",
    r"\bcutting again\b(?! (?:the|my|his|her|your|some|a)\b)",
    r"\b(?:until|till|til) (?:it|they|i) (?:bleeds?|bled|bleeding)\b",
)

# English, acute danger.
_EN_DANGER: Final[tuple[str, ...]] = (
    r"\b(?:i|im|i am|we|were|we are|my (?:kids?|children|baby|son|daughter) (?:is|are))"
    r" <nw2>in (?:real |serious |immediate |grave |great |big )?danger\b",
    r"\blife is in danger\b",
    r"\b<aggen> <dw3>(?:hits|hit|beats|beat|kicks|kicked|punches|punched|chokes|choked"
    r"|strangles|strangled|abuses|abused|rapes|raped|attacks|attacked|stabs|stabbed|shoots"
    r"|shot|slaps|slapped|threatens|threatened|assaults|assaulted|beating|hitting|hurting"
    r"|abusing|threatening|choking|strangling|kicking|punching|attacking) <victim>\b"
    r"(?! (?:up|at|back|to it|in (?:chess|a game|games|cards|tennis|football|an argument)"
    r"|(?:a|an) (?:look|smile|glance|text|message|email|grin|wink|line|note))\b)",
    r"\b<aggen> <dw3>(?:beat|beats|beating) <victim> up\b",
    r"\b(?:someone|somebody|a man|a guy|people|they|he|she) (?:is |are )?(?:breaking|broke"
    r"|broken|trying to break) into (?:my|our) (?:house|home|flat|apartment|room)\b",
    r"\b<aggen> <dw3>(?:going to|gonna|will|wants to|wanna|trying to|tried to|threatened to"
    r"|threatens to|threatening to|about to|plans to|promised to) (?:kill|hurt|hit|beat|stab"
    r"|shoot|rape|attack|strangle|choke|murder|beat up) <victim>\b"
    r"(?! (?:if|when|for|lol|haha)\b)",
    r"\b(?:i|im|ive|i am|i have|we|were) <dw3>(?:been |being |getting |got )?(?:threatened"
    r"|abused|attacked|beaten up|stalked|assaulted|raped|strangled|choked|stabbed|kidnapped"
    r"|held hostage|locked in|locked up)\b"
    r"(?! (?:as a (?:child|kid)|when i was|years ago|in the past)\b)",
    r"\b(?:hell|shell|theyll|hed|shed|theyd) (?:\w+ )?(?:kill|hurt|hit|beat|stab|shoot|rape"
    r"|attack|strangle|choke|murder) <victim>\b(?! (?:if|when)\b)",
    r"\b<aggen> <w2>(?:has|got|with|holding|pulled|waving|grabbed) (?:a|his|her|their)"
    r" (?:knife|gun|weapon|pistol|rifle|machete|bat|hammer)\b",
    # the client wants to hurt someone else; "if he eats my fries" marks a joke
    r"\b(?:i|im|ill|i will|i am|id) <iw3>(?:want to|wanna|going to|gonna|will|am going to"
    r"|feel like|about to|planning to|plan to|need to) (?:kill|hurt|stab|shoot|attack|murder"
    r"|beat up|strangle|harm|rape) (?:someone|somebody|him|her|them|people|everyone"
    r"|everybody|my (?!self\b)\w+|that \w+|this \w+|you|a \w+)\b(?! (?:if|when|lol|haha)\b)",
    # an overdose already taken
    r"\b(?:i|ive|i have|i just|just|i think i) (?:\w+ )?(?:od|odd|oded|odded|overdosed)\b"
    r"(?! on (?:coffee|caffeine|sugar|chocolate|candy|sweets|netflix|tv|love)\b)",
    r"\b(?:took|taken|had) (?:an |a )?overdose\b",
    r"\b(?:took|taken|swallowed|downed|ate) <w2><many> <w2><pills>\b",
    r"\b(?:took|taken|swallowed|downed) <w2><allpills>",
    r"\b(?:drank|drunk|swallowed|drinking) <w1>(?:bleach|poison|antifreeze|drain cleaner)\b",
    r"\bnot safe (?:at home|here|with him|with her|anymore)\b",
    r"\b(?:im|i am) not safe\b",
    r"\b(?:dont|do not|no longer|never) feel safe (?:at home|here|with him|with her"
    r"|with them|with my \w+|in my (?:home|house|flat|apartment))\b",
    r"\b(?:call|calling|called|ring) <w1>(?:112|911|999|an ambulance|the ambulance)\b",
)

# Order of precedence when more than one kind matches.
_PHRASES: Final[tuple[tuple[CrisisKind, tuple[str, ...]], ...]] = (
    (CrisisKind.DANGER, _NL_DANGER + _EN_DANGER),
    (CrisisKind.SUICIDE, _NL_SUICIDE + _EN_SUICIDE),
    (CrisisKind.SELF_HARM, _NL_SELF_HARM + _EN_SELF_HARM),
)


# --- Compiling the data --------------------------------------------------------------------
_MACRO_REF: Final = re.compile(r"<([a-z][a-z0-9]*)>")


def _expand(fragment: str) -> str:
    """Replace `<name>` macros (also inside macros) by their regex text."""
    for _ in range(10):
        expanded = _MACRO_REF.sub(lambda m: _MACROS[m.group(1)], fragment)
        if expanded == fragment:
            return expanded
        fragment = expanded
    raise ValueError(f"macros nest too deep in {fragment!r}")


def _compile(fragments: tuple[str, ...]) -> re.Pattern[str]:
    # Every fragment starts at a word; the shared leading \b spares the engine from trying
    # each alternative at every position inside a word.
    return re.compile(r"\b(?:" + "|".join(f"(?:{_expand(f)})" for f in fragments) + ")")


_PATTERNS: Final[tuple[tuple[CrisisKind, re.Pattern[str]], ...]] = tuple(
    (kind, _compile(fragments)) for kind, fragments in _PHRASES
)
_SIGNALS: Final[dict[CrisisKind, CrisisSignal]] = {kind: CrisisSignal(kind) for kind in CrisisKind}


# --- Normalisation -------------------------------------------------------------------------
# Apostrophes join: "don't" -> "dont", "m'n" -> "mn", "od'd" -> "odd". Handled before NFKD
# because NFKD turns the acute accent (U+00B4) into a space and a combining mark.
_APOSTROPHES: Final = "'`´ʹʼʻʽ‘’‛′＇"
_APOSTROPHE_TABLE: Final = str.maketrans("", "", _APOSTROPHES)
# Dropped after NFKD: combining marks (accents) and format characters (zero-width space and
# joiner, soft hyphen, direction marks). They are invisible, so the reader sees one word.
_DROPPED_CATEGORIES: Final = frozenset({"Mn", "Me", "Cf"})
# Cyrillic and Greek letters that look Latin: "zеlfmооrd" with Cyrillic е and о.
_HOMOGLYPHS: Final[dict[str, str]] = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "α": "a", "ε": "e", "ι": "i", "κ": "k", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "ν": "v",
}  # fmt: skip
# Leetspeak, only inside a token that also has a letter: "d00d", "k1ll", "$uicide", but
# "113" and "112" stay numbers.
_LEET_TABLE: Final = str.maketrans("0134578@$", "oieastbas")
_LEET_CHAR: Final = re.compile(r"[0134578@$]")
_LETTER: Final = re.compile(r"[^\W\d_]")
_TOKEN: Final = re.compile(r"\S+")
_BANG_IN_WORD: Final = re.compile(r"(?<=[^\W\d_])!(?=[^\W\d_])")  # "su!cide"
_ELLIPSIS: Final = re.compile(r"\.{2,}")  # "ik wil... dood" is one sentence
_INNER_DOT: Final = re.compile(r"\.(?=[^\s.])")  # "s.u.i.c.i.d.e", "113.nl"
_SENTENCE_END: Final = re.compile(r"[.!?;\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_NON_WORD: Final = re.compile(r"(?:[^\w.]|_)+")
_SENTENCE_ENDS: Final = re.compile(r"(?: ?\.)+ ?")
_REPEATED_LETTER: Final = re.compile(r"([^\W\d_])\1{2,}")
# Four or more single letters in a row, as in "z e l f m o o r d".
_SPACED_LETTERS: Final = re.compile(r"(?<![^ ])(?:[^\W\d_] ){3,}[^\W\d_](?![^ ])")


class _CharTable(dict[int, int | str | None]):
    """str.translate table, filled on demand: drops invisible characters, maps homoglyphs."""

    def __missing__(self, codepoint: int) -> int | str | None:
        char = chr(codepoint)
        value: int | str | None = codepoint
        if char in _HOMOGLYPHS:
            value = _HOMOGLYPHS[char]
        elif char in _APOSTROPHES or unicodedata.category(char) in _DROPPED_CATEGORIES:
            value = None
        self[codepoint] = value
        return value


_CHAR_TABLE: Final = _CharTable()


def _unleet(match: re.Match[str]) -> str:
    token = match.group()
    return token.translate(_LEET_TABLE) if _LETTER.search(token) else token


def _letters_and_sentences(text: str) -> str:
    """Lower-case letters, no accents or invisible characters, leetspeak undone in words."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHE_TABLE).casefold())
    text = text.translate(_CHAR_TABLE).casefold()
    text = _BANG_IN_WORD.sub("i", text)
    if _LEET_CHAR.search(text):
        text = _TOKEN.sub(_unleet, text)
    text = _INNER_DOT.sub(" ", _ELLIPSIS.sub(" ", text))
    return _NON_WORD.sub(" ", _SENTENCE_END.sub(" . ", text))


def _tidy(text: str) -> str:
    return _SENTENCE_ENDS.sub(" . ", text).strip(" .")


def normalise(text: str) -> str:
    """The text as the patterns see it: words of lower-case letters and digits, single
    spaces, " . " between sentences; letters repeated three or more times kept twice."""
    return _tidy(_REPEATED_LETTER.sub(r"\1\1", _letters_and_sentences(text)))


def _variants(text: str) -> set[str]:
    """The normalised text, plus spellings that undo tricks: "dieeee" -> "die" (repeats to
    one letter) and "z e l f m o o r d" -> "zelfmoord" (spaced letters joined)."""
    base = _letters_and_sentences(text)
    variants = {_tidy(_REPEATED_LETTER.sub(r"\1\1", base))}
    if _REPEATED_LETTER.search(base):
        variants.add(_tidy(_REPEATED_LETTER.sub(r"\1", base)))
    for variant in tuple(variants):
        if _SPACED_LETTERS.search(variant):
            variants.add(_SPACED_LETTERS.sub(lambda m: m.group().replace(" ", ""), variant))
    return variants


# --- Detection -----------------------------------------------------------------------------
def detect_crisis(text: str) -> CrisisSignal | None:
    """The kind of crisis language in `text`, or None. Never raises on a str; linear time."""
    if not text:
        return None
    variants = _variants(text)
    for kind, pattern in _PATTERNS:
        if any(pattern.search(variant) for variant in variants):
            return _SIGNALS[kind]
    return None
