"""The table of needs (ovi_lang/data/needs.yml), its loader's errors, cue words and the service path order."""

from __future__ import annotations

from pathlib import Path

import pytest

from ovi_lang import phrases
from ovi_lang.needs import NEEDS, NeedTableError, cued_needs, load, needs_in, service_path, settled_need
from ovi_lang.references import referenced_index

ISSUE_NEEDS = {"homelessness", "substance_use", "gambling", "mental_health", "violence", "debt",
               "income_support", "unemployment", "loneliness", "elderly", "family_carer", "families", "youth",
               "disability", "immigrants", "crime_victim", "food_aid", "health_care", "crisis"}


def test_the_table_covers_every_situation_of_the_issue() -> None:
    assert set(NEEDS) == ISSUE_NEEDS


@pytest.mark.parametrize(("broken", "message"), [
    ("- key: x\n  stage: soon\n", "'stage'"),
    ("- key: x\n  stage: today\n  label: {fi: X}\n", "'label'"),
    ("- key: x\n  stage: today\n  label: {fi: X, sv: X, en: X}\n  service_classes: [P999]\n"
     "  keywords: [a]\n", "P999"),
    ("- key: x\n  stage: today\n  label: {fi: X, sv: X, en: X}\n  service_classes: [P1]\n  keywords: []\n",
     "'keywords'"),
    ("- key: x\n  stage: today\n  label: {fi: X, sv: X, en: X}\n  service_classes: [P1]\n  keywords: [a]\n"
     "  not_cues: ['sydan (']\n", "'not_cues'"),
    ("- key: x\n  stage: today\n  label: {fi: X, sv: X, en: X}\n  service_classes: [P1]\n  keywords: [a]\n"
     "  not_cues: ['sydän hakkaa']\n", "'not_cues'"),
])
def test_a_broken_table_names_the_need_and_the_field(tmp_path: Path, broken: str, message: str) -> None:
    path = tmp_path / "needs.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(NeedTableError, match=message) as error:
        load(path)
    assert "'x'" in str(error.value)


@pytest.mark.parametrize(("text", "needs"), [
    ("häätö tulossa ja velkoja on tosi paljon", ["homelessness", "debt"]),
    ("pelaan nettikasinolla ja nyt on pikavippejä", ["gambling", "debt"]),
    ("ei oo ruokaa ja kelan tuki myöhässä", ["food_aid", "income_support"]),
    ("oon työtön ja yksinäinen", ["loneliness", "unemployment"]),
    ("jag har skulder och dricker för mycket", ["substance_use", "debt"]),
    ("mun äiti juo liikaa", ["substance_use"]),
    ("juon kahvia aamulla ja luen lehteä", []),
    ("oon raskaana ja kämppä lähtee alta", ["homelessness", "families"]),
    ("kaikki tuntuu tosi raskaalta", []),  # heavy, not pregnant
    ("kiitos, tää auttoi", []),
    ("hoidan miestäni kotona, sillä on alzheimer", ["elderly", "family_carer"]),  # the carer's own need too
    ("sairaanhoitaja hoidan potilaita kotona työkseni", []),  # a nurse's work
    ("hoidan asiat itse", []),
    ("joku on ottanu lainaa mun nimissä ja nyt tulee perintäkirjeitä", ["crime_victim", "debt"]),
    ("someone broke into my flat last week", ["crime_victim"]),
    ("mieli on ollu maassa siitä asti ku mies kuoli ja suru painaa", ["mental_health"]),
    ("i'm broke and behind on rent", []),  # broke = out of money, not a break-in
    ("elatusmaksut on rästissä ja etävanhempana en nää lapsia", ["families"]),
    # Without the official words: no home, loans and late payments, talking to nobody, weed.
    ("asiakkaallani ei ole asuntoa vankilasta päästyään", ["homelessness"]),
    ("vuokrasopimus purettiin kesällä", ["homelessness"]),
    ("otin kulutusluottoja ja nyt maksuja on myöhässä", ["debt"]),
    ("en puhu kenenkään kanssa viikkoihin", ["loneliness"]),
    ("i smoke weed every night", ["substance_use"]),
    # A hangover at work, a relative who "dokaa", staying dry after rehab, ending up on the street.
    ("tuli krapulassa töihin ja myönsi juovansa joka ilta", ["substance_use"]),
    ("isä dokaa joka päivä", ["substance_use"]),
    ("pelkään että joudun kadulle kun hoito loppuu", ["homelessness"]),
    # Having moved to Finland: the need of a newcomer, whatever else the message is about.
    ("we moved to Finland last year and my wife needs a doctor", ["health_care", "immigrants"]),
    ("muutin suomeen keväällä ja etsin töitä", ["unemployment", "immigrants"]),
    # No bed for tonight, a friend's sofa: homelessness without its official words.
    ("en tiiä mistä saan yöpaikan huomiseksi", ["homelessness"]),
    ("oon nukkunu kavereiden sohvilla kesästä asti", ["homelessness"]),
    # Violence denied is no violence; a sickness allowance is an income, not a health need.
    ("hän ei ole koskaan ollut väkivaltainen mutta juo paljon", ["substance_use"]),
    ("he was never violent but he drinks every day", ["substance_use"]),
    ("sairauspäivärahat loppuu ja vuokra rästissä", ["homelessness", "income_support"]),
    ("yksinhuoltajana kolmen lapsen kanssa, nuorin on vasta kaksivuotias", ["families"]),
    ("yska jatkunu viikkoja eika ajanvaraukseen paase", ["health_care"]),
    ("tehdas ajettiin alas ja kaikille tuli lopputili", ["unemployment"]),
    ("mut irtisanottiin ja työttömyyskassaan pitäis kai ilmottautua", ["unemployment"]),
    ("sain potkut perjantaina", ["unemployment"]),
    ("I was laid off in March", ["unemployment"]),
    ("treeneissä tuli kovia potkuja", []),  # kicks, not fired
    ("lukiossa en oo käyny kuukauteen ja rehtori uhkaa erottaa", ["youth"]),
    ("I dropped out and my parents don't know", ["youth"]),
    ("sain ms-diagnoosin ja nyt rollaattori on pakko", ["disability"]),
    ("en saa unta ja päivät on pitkiä", ["mental_health"]),
    ("yöllä en saa unta ollenkaan", ["mental_health"]),
    ("jag kan inte sova på nätterna", ["mental_health"]),
    ("isä on liikuntarajoitteinen eikä pääse portaita", ["disability"]),
    ("isäpuoli heitti mut pihalle viime yönä", ["homelessness"]),
    ("my mum kicked me out", ["homelessness"]),
    ("asiakas juo viikonloppuisin ja ammattikoulu jäi kesken", ["substance_use", "youth"]),
    ("serkku oli sairaalassa yliannostuksen takia", ["substance_use"]),
    ("I take amphetamine every day", ["substance_use"]),
    ("äiti on iäkäs ja kaatuilee kotona", ["elderly"]),
    ("vauva valvottaa ja oon ihan rikki", ["families"]),
    ("lapsella on hirveitä raivareita", ["families"]),
    ("aivoinfarktin jälkeen käsi ei toimi", ["disability"]),
    ("the stroke of midnight", []),  # not a stroke
    ("vauva potki mahassa koko yön", ["families"]),  # a baby kicks in the womb: no violence
    ("poika potkii palloa pihalla", []),
    ("mies potki mua eilen ja oon ihan mustelmilla", ["violence"]),
    ("se potkii minua kun se on humalassa", ["violence", "substance_use"]),
    # The second need of a story, in the words residents use for it.
    ("jäin työttömäks viime kuussa", ["unemployment"]),
    ("haluisin töihin mut kukaan ei ota", ["unemployment"]),
    ("rahat ei riitä vuokraan ja laskuihin", ["income_support"]),
    ("ei oo varaa lääkkeisiin", ["health_care", "income_support"]),
    ("eläke on pieni ja sähkölasku iso", ["income_support"]),
    ("mua ahistaa iltaisin", ["mental_health"]),
    ("oon ahistunu koko syksyn", ["mental_health"]),
    ("ei oo kavereita yhtään", ["loneliness"]),
    ("hän sanoi ettei kukaan käy hänen luonaan", ["loneliness"]),
    ("minun suomi ei ole hyvä ja kelan paperit vaikeita", ["income_support", "immigrants"]),
    ("se käytti mua hyväks juhlissa", ["crime_victim"]),
    ("my GP retired and I need a prescription", ["health_care"]),
    ("a piece of my molar broke off and it hurts when I drink anything cold", ["health_care"]),
    ("he needs a walker after the operation", ["disability"]),
    ("vi söker hjälp för äldre", ["elderly"]),
    ("han är äldre än jag", []),  # older, not the elderly
    ("ge mig ett recept på köttbullar", []),  # a recipe, not a prescription
    ("mummo ei puhu suomea ja tarvii apua", ["immigrants"]),
    ("I've been feeling low for weeks", ["mental_health"]),
    ("jag mår psykiskt dåligt", ["mental_health"]),
    # A compound's first part; a cue word inside a phrase where it means something else.
    ("häätöpäätös tuli eilen", ["homelessness"]),
    ("sydän alkoi yhtäkkiä hakata kaupan jonossa", []),  # the heart races
    ("kaaduin portaissa ja löin pään kaiteeseen", []),  # a fall
    ("mies löi mua päähän", ["violence"]),
    # The perfect tense (written and spoken), and a compound written as two words.
    ("mies on lyönyt häntä useamman kerran", ["violence"]),
    ("isä on lyöny mua", ["violence"]),
    ("se ei oo koskaan lyöny mua eikä lapsia", []),  # denied
    ("poika hakattiin bussipysäkillä ja porukka vei puhelimen", ["crime_victim"]),  # an assault, no partner
    ("he has never hit me, but he shouts", []),
    ("oleskelu lupa loppuu 2 kk", ["immigrants"]),
    ("toimeentulo tuki hylättiin", ["income_support"]),
    ("ruoka ei maistu ja laihdun", []),  # appetite
    ("asiakas tulee Rikosseuraamuslaitokselta", []),  # the probation service, not a crime
    ("hänellä ei ole asuntoa vapautuessa", ["homelessness"]),
    ("olen ollut ilman töitä keväästä", ["unemployment"]),
    ("äiti on kotona ja hoidan häntä yksin", ["family_carer"]),
    ("näkö meni diabeteksen takia", ["disability"]),
    ("liukastuin ja jäin lattialle tunniksi", ["elderly"]),
    # Swedish and English residents' words.
    ("Jag ska vräkas från lägenheten", ["homelessness"]),
    ("min före detta man skickar hotfulla sms", ["violence"]),
    ("Jag flyttade hit med min man", []),  # "hit med" (here with), no "hit me"
    ("our son has autism", ["disability"]),
    ("vi har fått ett inkassobrev för ett snabblån", ["debt"]),
    ("I'm a refugee and want to learn Finnish", ["immigrants"]),
    ("jääkaappi on ihan tyhjä ja lapset nälkäsiä", ["food_aid"]),
    ("single mum of two, so tired", ["families"]),
    ("Synen har blivit mycket sämre och jag får inte köra bil", ["disability"]),
    ("my hearing loss makes phone calls impossible", ["disability"]),
    ("min syn på saken är en annan", []),  # "my view on the matter"
    # English plurals: "loans", "slots", "carers".
    ("we took three small loans to pay the rent", ["debt"]),
    ("he plays online slots every night", ["gambling"]),
    ("is there any support for carers", ["family_carer"]),
    ("har varit trött sen i höstas", []),  # "since last autumn", folded "hosta" is a cough
    ("koulu jäi kesken eikä duunia oo, töitä ei oo missään", ["youth", "unemployment"]),
    ("määräaikainen työ loppui viime viikolla", ["unemployment"]),
    ("en saa duunia mistään vaikka oon hakenu", ["unemployment"]),
    ("otin pikalainan ja nyt en pysty maksamaan", ["debt"]),
    ("muutettiin tänne enkä tunne täältä ketään", ["loneliness"]),
    ("tilillä on 12 euroa ja vuokra erääntyy perjantaina", ["income_support"]),
    ("ei oo ketään kenen kanssa puhuis iltaisin", ["loneliness"]),
    ("se päättää kenen kanssa puhun ja missä käyn", []),  # control, not loneliness
    ("pappa dricker numera en flaska om dagen", ["substance_use"]),
    ("I cannot fall asleep and keep crying at work", ["mental_health"]),
    ("valmistuin amiksesta keväällä", ["youth"]),
    ("hän haluaa tuoda perheensä Suomeen", ["immigrants"]),
    ("mää olin kakskymment vuotta varastol töis ja nyt firma meni konkurssii", ["unemployment"]),
    ("the fish plant closed in spring", ["unemployment"]),
    ("tää on super kiva paikka", []),  # "super", not Swedish "super" (drinks heavily): not a cue
])
def test_cue_words_show_the_needs_of_a_message(text: str, needs: list[str]) -> None:
    assert cued_needs(text) == needs


def test_the_classifiers_main_need_leads_and_crisis_is_never_a_search_need() -> None:
    assert needs_in("velat kasvaa ja häätö tuli", "debt") == ["debt", "homelessness"]
    assert needs_in("en jaksa enää", "crisis") == []


def test_the_service_path_puts_today_first_then_support_then_longer_term() -> None:
    path = [need.key for need in service_path(["debt", "substance_use", "homelessness"])]
    assert path == ["homelessness", "substance_use", "debt"]
    # The main need (first) leads within its stage; the stages keep their order.
    path = [need.key for need in service_path(["loneliness", "debt", "mental_health", "food_aid"])]
    assert path == ["food_aid", "loneliness", "mental_health", "debt"]
    stages = [need.stage for need in service_path(list(NEEDS))]
    assert stages == sorted(stages, key=("today", "support", "longer_term").index)


@pytest.mark.parametrize(("text", "index"), [
    ("kerro lisää toisesta", 1), ("mikä sen kolmannen numero on", 2), ("mikä sen ekan numero on", 0),
    ("var ligger den första", 0), ("the second one", 1), ("entä velkaneuvonta?", 0), ("nro 3", 2),
    ("kerro lisää", None), ("viides", None),
])
def test_a_follow_up_refers_to_a_shown_service(text: str, index: int | None) -> None:
    names = ["Velkaneuvonta Kotka", "Päihdechat", "Sosiaalipäivystys"]
    assert referenced_index(text, names) == index


def test_every_phrase_has_all_languages_with_the_same_placeholders() -> None:
    table = phrases.load()
    assert table and all(set(texts) == {"fi", "sv", "en"} for texts in table.values())


def test_a_phrase_with_a_missing_placeholder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "phrases.yml"
    path.write_text("x:\n  fi: 'Hei {name}'\n  sv: 'Hej'\n  en: 'Hi {name}'\n", encoding="utf-8")
    with pytest.raises(phrases.PhraseTableError, match="'x'.*'sv'"):
        phrases.load(path)


@pytest.mark.parametrize(("text", "needs"), [
    # The writer's own work is no need of theirs or of their client: its clause cues nothing.
    ("Teen lähihoitajan töitä vanhusten palvelutalossa, ja siellä minua pidetään tarkkana. Omat raha-asiat "
     "ovat sekaisin ja velkaa on", ["debt"]),
    ("Työskentelen työttömien yhdistyksessä. Yksi kävijämme on velkaantunut pahasti", ["debt"]),
    ("I work as a practical nurse in an elderly home and my tooth hurts", ["health_care"]),
    ("jag jobbar på ett äldreboende men min son dricker för mycket", ["substance_use"]),
    # Not the writer's work now: the cue stands.
    ("isä on vanhainkodissa ja tarvii apua", ["elderly"]),
    ("olin töissä tehtaalla joka meni konkurssiin", ["unemployment"]),  # a past job: the lost job itself
])
def test_a_clause_about_the_writers_work_cues_no_need(text: str, needs: list[str]) -> None:
    assert cued_needs(text) == needs


def test_a_guess_read_from_the_writers_work_yields_to_the_rest_of_the_message() -> None:
    text = "Teen lähihoitajan töitä vanhusten palvelutalossa. Omat raha-asiani ovat sekaisin, velkaa on."
    assert settled_need("elderly", 0.67, text) == "debt"
    assert settled_need("elderly", 0.95, text) == "elderly"  # the classifier sure: it stands
    assert settled_need("elderly", 0.67, "Teen lähihoitajan töitä vanhusten palvelutalossa.") is None


def test_a_broken_workplace_pattern_is_named(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    from ovi_lang import needs
    bad = tmp_path / "workplace.yml"  # type: ignore[operator]
    bad.write_text("fi:\n  - '\\\\btyoskentelen\\\\b'\n  - '(tyossa'\n", encoding="utf-8")
    monkeypatch.setattr(needs, "WORKPLACE", bad)
    needs._workplace_patterns.cache_clear()
    try:
        with pytest.raises(NeedTableError, match=r"workplace.yml: fi\[1\]"):
            needs._workplace_patterns()
    finally:
        needs._workplace_patterns.cache_clear()
