"""Words clients type instead of pressing a button, in one place (Dutch and English).

These are inputs to recognise, never texts to show: what a client reads stays in
`templates/`. `bot/understand.py` reads this module; nothing else should hold lists
of answer words, so a new variant is added here once and works at every question.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(",") if w.strip())


def _spaced(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Whole answers that mean yes, no, "I don't know" or "skip". They press the button
# whose text says so (a label starting with "Ja"/"Yes", ...), whatever the question.
YES: frozenset[str] = frozenset(
    _words(
        "ja,jawel,jaa,jaaa,jah,jep,jup,ja hoor,ja graag,ja prima,ja goed,ja zeker,ja is goed,"
        "ja dat mag,ja natuurlijk,natuurlijk,prima,prima zo,is goed,goed,oke,oké,ok,okay,okee,"
        "okey,oki,okido,kk,top,prima hoor,zeker,graag,klopt,dat klopt,klopt helemaal,goed zo,"
        "doe maar,mag wel,dat mag,dat is goed,dat is prima,jazeker,jup hoor,yes,yess,yep,yeah,"
        "yup,yea,ye,sure,fine,ok then,of course,alright,all right,correct,thats right,"
        "that's right,yes please,go ahead,sounds good,good,y,j,👍,👌,✅"
    )
)
NO: frozenset[str] = frozenset(
    _words(
        "nee,neen,neej,nee hoor,nee dank je,nee dankje,nee bedankt,liever niet,nee liever niet,"
        "niet,niet doen,nope,nah,no,no thanks,no thank you,rather not,not really,nee joh,"
        "welnee,nee nee,nein,n,👎,❌"
    )
)
DONT_KNOW: frozenset[str] = frozenset(
    _words(
        "weet ik niet,weet niet,weetniet,weet ik nie,wit ik niet,geen idee,geen flauw idee,"
        "ik weet het niet,ik weet niet,weet ik nog niet,weet nog niet,ik weet het nog niet,"
        "geen idee eigenlijk,tja,tsja,idk,dunno,i dont know,i don't know,dont know,don't know,"
        "no idea,not sure,not sure yet,i'm not sure,im not sure,no clue,?,??,???,🤷"
    )
)
SKIP: frozenset[str] = frozenset(
    _words(
        "sla over,sla maar over,overslaan,skip,skip it,skip this,pass,volgende vraag,"
        "next question,laat maar,laat maar zitten,sla dit over,sla het over"
    )
)
# Words that move on: they press a button such as "Verder" or "Beginnen".
GO_ON: frozenset[str] = frozenset(
    _words(
        "verder,door,ga door,ga maar door,ga verder,doorgaan,volgende,en nu,en verder,start,"
        "beginnen,begin maar,next,continue,go on,go ahead,carry on,lets go,let's go,onwards,"
        "begin,start,->,>>"
    )
)

# At the "who is important to you" question (bot/names.py): words around a name
# ("mijn zus Mieke", "Kees van de kerk"), words that make a sentence and not a name
# ("die zie ik nooit"), and "nobody".
AROUND_NAME: frozenset[str] = frozenset(
    _spaced("mijn mn m'n me my de het een van from the a our onze ons heet called named noem")
    + _spaced("is die bij at en")
)
SENTENCE: frozenset[str] = frozenset(
    _spaced("ik je jij hij zij ze we wij ben heb hebt heeft zie ziet wil kan kun was waren")
    + _spaced("woont maar nooit niet geen meer want omdat als dan wel gaat doet zijn")
    + _spaced("i you he she they am are have has see never but dont not because were lives")
    + _spaced("want can will do does")
)
NOBODY: frozenset[str] = frozenset(
    _words(
        "niemand,niemand meer,niemand eigenlijk,verder niemand,nobody,no one,noone,"
        "nobody else,no one else,geen,geen een,geeneen,none"
    )
)
# "Klaar" typed where a name is asked: the list is done, it is nobody's name.
DONE: frozenset[str] = frozenset(
    _words("klaar,klaar hoor,ben klaar,dat was het,dat was t,done,finished,thats it,ready")
)

# Phone shorthand, read as the full word.
SHORTHAND: dict[str, str] = {
    "wk": "week",
    "wkn": "weken",
    "mnd": "maand",
    "mndn": "maanden",
    "ff": "even",
    "w": "week",
    "mth": "month",
    "mths": "months",
    "k": "ik",
    "n": "een",
    "m": "maand",
    "thx": "thanks",
}

# Small numbers as words: the n-th button.
NUMBERS: dict[str, int] = {
    **dict.fromkeys(("een", "één", "eén", "eerste", "one", "first", "1e", "1ste"), 1),
    **dict.fromkeys(("twee", "tweede", "two", "second", "2e", "2de"), 2),
    **dict.fromkeys(("drie", "derde", "three", "third", "3e", "3de"), 3),
    **dict.fromkeys(("vier", "vierde", "four", "fourth", "4e", "4de"), 4),
    **dict.fromkeys(("vijf", "vijfde", "five", "fifth", "5e", "5de"), 5),
    **dict.fromkeys(("zes", "zesde", "six", "sixth", "6e", "6de"), 6),
    **dict.fromkeys(("zeven", "zevende", "seven", "seventh", "7e", "7de"), 7),
    **dict.fromkeys(("acht", "achtste", "eight", "eighth", "8e", "8ste"), 8),
    **dict.fromkeys(("negen", "negende", "nine", "ninth", "9e", "9de"), 9),
    **dict.fromkeys(("tien", "tiende", "ten", "tenth", "10e", "10de"), 10),
}

# Words that carry no meaning for choosing a button ("ik denk familie").
FILLER: frozenset[str] = frozenset(
    _spaced(
        """ik denk mijn m'n mn me mij de het een van is die dat en of maar ook nou eh ehm uh
    uhm wel toch hoor gewoon eigenlijk vooral meer zo doe doen graag kies i think my the a an
    of is it and or but also just well um uh hmm please choose maybe misschien denk ik
    als er bij met naar voor we wij they them he she hij zij ze"""
    )
)

# Buttons that move on: a plain "ja"/"ok" presses them when no button says "Ja".
GO_ON_KEYS: tuple[str, ...] = (
    "common.continue",
    "intake.understood",
    "network.begin",
    "practice.begin",
    "ratings.begin",
    "ratings.go_on",
    "practice.review_ok",
    "goal.confirm_yes",
    "safety.resume",
    "network.add_more",
    "common.done",
)
# Buttons that end a list: "nee" at "Wie nog meer?" is "Klaar".
STOP_KEYS: tuple[str, ...] = ("network.done_adding", "common.done")

_SUPPORT_NEVER = (
    "nooit,zelden,nauwelijks,bijna niet,amper,niet vaak,niet zo vaak,never,rarely,hardly,"
    "hardly ever,not often,not much,nope"
)
_SUPPORT_SOMETIMES = (
    "soms,af en toe,wisselend,een beetje,beetje,soms wel,sometimes,now and then,"
    "occasionally,a bit,so so,soso,gaat wel,halfhalf"
)
_SUPPORT_ALWAYS = "altijd,vaak,meestal,heel vaak,always,often,mostly,usually,a lot,veel"


# Words that mean one particular button, by the button's label key. A word may stand
# alone or inside an answer ("mijn zus" -> Familie). `.on`/`.off` parts of a key
# (toggle buttons) are ignored when looking up.
MEANINGS: dict[str, tuple[str, ...]] = {
    # Life areas (sectors) of the Social Network Map.
    "sector.huishouden": _words(
        "huishouden,partner,huisgenoot,huisgenote,huisgenoten,man,vrouw,echtgenoot,echtgenote,"
        "samenwonend,thuis,in huis,kamergenoot,huisgenoot,woont bij me,woont bij mij,"
        "woont met mij,samenwonen,wonen samen,lives with me,wife,husband,spouse,"
        "housemate,roommate,flatmate,boyfriend,girlfriend,household,home,at home"
    ),
    "sector.familie": _words(
        "familie,fam,zus,zusje,zussen,broer,broertje,broers,moeder,mama,mam,moeders,vader,papa,"
        "pap,ouders,tante,oom,opa,oma,neef,nicht,zoon,dochter,kind,kinderen,schoonmoeder,"
        "schoonvader,schoonzus,zwager,stiefvader,stiefmoeder,kleinkind,kleinzoon,kleindochter,"
        "family,sister,sis,brother,bro,mother,mum,mom,mommy,father,dad,daddy,parents,aunt,"
        "auntie,uncle,grandma,grandpa,granny,nan,cousin,nephew,niece,son,daughter,kids,"
        "stepdad,stepmom,in-laws"
    ),
    "sector.vrienden": _words(
        "vrienden,vriend,vriendin,vriendinnen,vriendjes,maat,maten,bff,beste vriend,"
        "beste vriendin,kameraad,friend,friends,mate,mates,buddy,pal,best friend,bestie"
    ),
    "sector.werk_school": _words(
        "werk,collega,collegas,collega's,baas,leidinggevende,werkgever,school,klasgenoot,"
        "klasgenoten,studie,opleiding,stage,leraar,lerares,docent,juf,meester,dagbesteding,"
        "vrijwilligerswerk,werkplaats,work,job,colleague,colleagues,coworker,boss,classmate,"
        "teacher,study,college,uni,university,day activities,day centre,volunteering"
    ),
    "sector.clubs": _words(
        "club,clubs,kerk,moskee,synagoge,tempel,gemeente,vereniging,sportclub,voetbal,"
        "voetbalclub,koor,sportschool,gym,hobbyclub,church,mosque,synagogue,temple,"
        "association,football,soccer,choir,sports club,society"
    ),
    "sector.buren": _words(
        "buren,buurman,buurvrouw,buurmeisje,buurjongen,buurt,bovenburen,benedenburen,"
        "overbuurman,overbuurvrouw,hiernaast,naast,overkant,bovenbuurman,bovenbuurvrouw,"
        "benedenbuurman,benedenbuurvrouw,neighbour,neighbours,neighbor,neighbors,next door"
    ),
    "sector.hulpverlening": _words(
        "hulpverlening,hulpverlener,begeleider,begeleidster,begeleiding,woonbegeleider,"
        "psychiater,psycholoog,fact,spv,verpleegkundige,huisarts,dokter,arts,therapeut,"
        "behandelaar,casemanager,maatschappelijk werker,poh,ggz,coach,ambulant begeleider,"
        "care,carer,care worker,support worker,key worker,psychiatrist,psychologist,"
        "therapist,counsellor,counselor,nurse,doctor,gp,social worker,case manager"
    ),
    "sector.online": _words(
        "online,internet,alleen online,discord,gamen,game,gamer,chat,chatten,forum,"
        "instagram,insta,facebook,reddit,twitter,tiktok,only online,gaming"
    ),
    "network.nobody": _words(
        "niemand,bijna niemand,niemand eigenlijk,geen,geen mensen,geen een,niet veel,"
        "weinig mensen,nobody,no one,noone,almost nobody,hardly anyone,no-one"
    ),
    "network.add_more": _words(
        "nog een,nog 1,nog eentje,nog iemand,meer,another,one more,someone more"
    ),
    "network.done_adding": _words(
        "klaar,dat was het,dat is het,dat was t,that's it,thats all,done,finished,niemand meer"
    ),
    "network.show_list": _words("lijst,de lijst,mijn lijst,lijst zien,list,the list,my list"),
    "common.done": _words("klaar,dat was het,dat is het,done,finished,ready,thats it"),
    "intake.understood": _words(
        "snap het,snap et,ik snap het,ik snap et,snap,begrepen,begrijp het,duidelijk,"
        "helder,got it,get it,i get it,understood,i understand,clear"
    ),
    "intake.other_lang": _words("english,engels,nederlands,dutch,in english,in het engels"),
    "practice.show_example": _words("voorbeeld,example,laat zien,show me"),
    "practice.channel.message": _words(
        "berichtje,bericht,appje,appen,app,whatsapp,whatsappen,sms,sms'en,smsje,texten,text,"
        "mail,mailen,mailtje,e-mail,message,texting,dm,signal,telegram"
    ),
    "practice.channel.phone": _words(
        "bellen,bel,opbellen,telefoon,telefonisch,belletje,phone,call,calling,ring"
    ),
    "practice.channel.in_person": _words(
        "zien,zie,langs,langsgaan,langskomen,face to face,in het echt,persoonlijk,als ik ze zie,"
        "in person,meet,meeting,visit,irl,in real life,bij haar,bij hem,bij ze,langsgaan"
    ),
    "goal.kind.contact": _words("contact,meer contact,praten,contact with,talking"),
    "goal.kind.together": _words("samen,samen dingen,samen iets doen,together,activities"),
    "goal.kind.practical": _words(
        "praktisch,praktische hulp,hulp bij,hulp met,practical,help with,practical help"
    ),
    "goal.someone_new": _words(
        "iemand nieuw,nieuw iemand,iemand anders,iemand die ik nog niet ken,nog niemand,"
        "someone new,someone i dont know yet,a new person"
    ),
    "goal.activity.call": _words("bellen,bel,belletje,opbellen,call,phone,ring"),
    "goal.activity.visit": _words("bezoek,op bezoek,langskomen,visit,visits"),
    "goal.activity.messages": _words("appen,appjes,berichtjes,app,whatsapp,texts,messages"),
    "goal.activity.walk": _words("wandelen,wandeling,lopen,walk,walking"),
    "goal.activity.coffee": _words("koffie,kopje koffie,thee,coffee,tea"),
    "goal.activity.sport": _words("sporten,sport,fitness,gym,zwemmen,sports"),
    "goal.activity.groceries": _words("boodschappen,winkelen,supermarkt,groceries,shopping"),
    "goal.activity.post": _words("post,papieren,brieven,administratie,paperwork,letters"),
    "goal.activity.transport": _words("vervoer,rijden,lift,auto,brengen,transport,lift,ride"),
    "goal.frequency.1_month": _words(
        "1 keer per maand,een keer per maand,1x per maand,maandelijks,elke maand,"
        "once a month,monthly,every month"
    ),
    "goal.frequency.2_month": _words(
        "2 keer per maand,twee keer per maand,om de week,om de twee weken,twice a month,"
        "every other week,every two weeks"
    ),
    "goal.frequency.1_week": _words(
        "1 keer per week,een keer per week,1x per week,elke week,wekelijks,"
        "once a week,weekly,every week"
    ),
    "goal.frequency.2_week": _words("2 keer per week,twee keer per week,twice a week"),
    "goal.frequency.more": _words("vaker,meer,more,more often"),
    "goal.horizon.m1": _words("een maand,1 maand,maand,a month,one month,month"),
    "goal.horizon.m3": _words("3 maanden,drie maanden,kwartaal,three months,3 months"),
    "goal.horizon.m6": _words(
        "6 maanden,zes maanden,half jaar,een half jaar,halfjaar,six months,half a year"
    ),
    "goal.day.monday": _words("ma,maan,maandags,mon,mondays"),
    "goal.day.tuesday": _words("di,dins,dinsdags,tue,tues,tuesdays"),
    "goal.day.wednesday": _words("wo,woe,woens,woensdags,wed,wednesdays"),
    "goal.day.thursday": _words("do,dond,donderdags,thu,thur,thurs,thursdays"),
    "goal.day.friday": _words("vr,vrij,vrijdags,fri,fridays"),
    "goal.day.saturday": _words("za,zat,zaterdags,sat,saturdays"),
    "goal.day.sunday": _words("zo,zon,zondags,sun,sundays"),
    "goal.own_words": _words(
        "zelf,zelf zeggen,zelf typen,eigen woorden,in mijn eigen woorden,mijn eigen woorden,"
        "own words,in my own words,myself,say it myself"
    ),
    "goal.change": _words("veranderen,aanpassen,anders,wijzigen,change,change it,edit"),
    "practice.rewrite": _words(
        "opnieuw,nog een keer,overnieuw,herschrijven,again,rewrite,write again,try again"
    ),
    "practice.review_ok": _words("goed zo,zo is goed,prima zo,fine like this,its fine"),
    "practice.after_no.later": _words("later,een andere keer,nog een keer vragen,another time"),
    "practice.after_no.someone_else": _words("iemand anders,someone else,another person"),
    "checkin.yes": _words("gelukt,het is gelukt,het lukte,done it,it worked,worked"),
    "checkin.partly": _words("een beetje,beetje,half,deels,a bit,partly,sort of"),
    "checkin.not_yet": _words("nog niet,not yet,nog niet gedaan"),
    "checkin.no": _words("niet gelukt,mislukt,lukte niet,didn't work,failed"),
    "overview.send": _words("stuur,versturen,sturen,send,send it"),
    "ratings.dont_know": _words("weet ik niet,sla over,skip"),
    "ratings.skip_all": _words("niet beoordelen,skip the rating,skip all"),
    "ratings.scale.closeness.1": _words("niet hecht,niet zo hecht,not close,los,distant"),
    "ratings.scale.closeness.2": _words("redelijk,best hecht,fairly,wel hecht,gaat wel,ok"),
    "ratings.scale.closeness.3": _words("heel hecht,erg hecht,super hecht,very close,close"),
    "ratings.scale.reciprocity.1": _words("vooral ik,ik help,i help,mostly me"),
    "ratings.scale.reciprocity.2": _words("elkaar,samen,over en weer,both,each other,allebei"),
    "ratings.scale.reciprocity.3": _words(
        "vooral de ander,zij helpen mij,they help me,mostly them"
    ),
    "ratings.scale.frequency.1": _words(
        "bijna nooit,zelden,nooit,rarely,hardly,paar keer per jaar"
    ),
    "ratings.scale.frequency.2": _words("maandelijks,elke maand,per maand,monthly,once a month"),
    "ratings.scale.frequency.3": _words(
        "wekelijks,elke week,dagelijks,elke dag,vaak,weekly,every week,daily,every day,often"
    ),
    "ratings.scale.duration.1": _words("kort,net,pas,nieuw,new,recently,few months"),
    "ratings.scale.duration.2": _words("paar jaar,een paar jaar,few years,couple of years"),
    "ratings.scale.duration.3": _words(
        "lang,heel lang,altijd al,mijn hele leven,jaren,long,ages,forever,always,all my life"
    ),
    "barriers.give_back": _words("terug doen,niks terug,niets terug,give back,nothing back"),
    "barriers.busy": _words("druk,te druk,geen tijd,busy,no time"),
    "barriers.show_problems": _words("problemen,laten zien,schaam,schaamte,ashamed,shame"),
    "barriers.keep_free": _words("vrij houden,vriendschap,zorg,keep it free"),
    "barriers.how_to_ask": _words("hoe vragen,weet niet hoe,how to ask,don't know how"),
    "barriers.bad_experience": _words("slechte ervaring,ervaringen,bad experience,hurt before"),
    "barriers.nothing": _words("niets,niks,nothing,niks houdt me tegen"),
}
for _dimension in ("practical", "emotional", "advice", "critical"):
    MEANINGS[f"ratings.scale.{_dimension}.1"] = _words(_SUPPORT_NEVER)
    MEANINGS[f"ratings.scale.{_dimension}.2"] = _words(_SUPPORT_SOMETIMES)
    MEANINGS[f"ratings.scale.{_dimension}.3"] = _words(_SUPPORT_ALWAYS)
