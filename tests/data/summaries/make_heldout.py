# ruff: noqa: E501  (a table of hand-made summaries, one case a row)
"""Writes heldout.jsonl: hand-made summaries (fictional) of real items the checks were not tuned
on. Written in one go and measured once (docs/QUALITY.md); not edited to make a check pass."""

import json
from pathlib import Path

CASES = [
    ("item:ntrex-upi-176266", "en", "faithful", "", "A shark injured a 13-year-old boy diving for lobster near Beacon's Beach in Encinitas, California, on Saturday, the opening day of lobster season."),
    ("item:ntrex-upi-176266", "ru", "faithful", "", "В субботу у Энсинитаса в Калифорнии акула ранила 13-летнего мальчика, нырявшего за лобстерами."),
    ("item:ntrex-upi-176266", "en", "unfaithful", "number_changed", "A shark injured a 15-year-old boy diving for lobster in California on Saturday."),
    ("item:ntrex-upi-176266", "en", "unfaithful", "place_invented", "A shark injured a 13-year-old boy diving for lobster off San Diego on Saturday."),
    ("item:ntrex-upi-176266", "ru", "unfaithful", "number_changed", "Акула ранила 13-летнего мальчика около 9 утра у пляжа Бикон в Энсинитасе."),
    ("item:ntrex-abcnews-306764", "en", "faithful", "", "Ash from the Popocatepetl volcano reached southern Mexico City after 183 emissions of gas and ash in 24 hours, Mexico's disaster prevention center said."),
    ("item:ntrex-abcnews-306764", "ru", "faithful", "", "Пепел вулкана Попокатепетль достиг южных районов Мехико: за сутки зафиксировано 183 выброса газа и пепла."),
    ("item:ntrex-abcnews-306764", "en", "unfaithful", "number_changed", "The Popocatepetl volcano registered 138 emissions of gas and ash over 24 hours, covering Mexico City in ash."),
    ("item:ntrex-abcnews-306764", "ru", "unfaithful", "person_invented", "Глава службы гражданской защиты Луис Фелипе Пуэнте призвал жителей Мехико держаться подальше от вулкана Попокатепетль."),
    ("item:ntrex-bbc-381647", "en", "faithful", "", "Rapper Kanye West announced on Twitter on Saturday that he is changing his name to Ye."),
    ("item:ntrex-bbc-381647", "ru", "faithful", "", "Рэпер Канье Уэст объявил в субботу в Twitter, что меняет имя на Йе."),
    ("item:ntrex-bbc-381647", "en", "unfaithful", "quote_invented", "Kanye West changed his name to Ye, writing: \"I am no longer the man I was.\""),
    ("item:ntrex-bbc-381647", "en", "unfaithful", "weekday_changed", "Rapper Kanye West announced on Instagram on Friday that he is now called Ye."),
    ("item:ntrex-euronews-en-153800", "en", "faithful", "", "President Erdogan ended his controversial visit to Germany on Saturday, September 29, meant to repair relations between the NATO allies."),
    ("item:ntrex-euronews-en-153800", "ru", "faithful", "", "29 сентября завершился визит президента Турции Эрдогана в Германию, призванный наладить отношения союзников по НАТО."),
    ("item:ntrex-euronews-en-153800", "en", "unfaithful", "date_changed", "On Saturday, September 28, the leaders of Turkey and Germany met for breakfast in Berlin."),
    ("item:ntrex-euronews-en-153800", "ru", "unfaithful", "person_invented", "Канцлер Ангела Меркель и президент Эрдоган встретились за завтраком в Берлине."),
    ("item:ntrex-euronews-en-153800", "en", "unfaithful", "place_invented", "Erdogan ended his visit to Germany with a rally in Munich on Saturday."),
    ("item:ntrex-rt-com-91337", "en", "faithful", "", "Macedonians vote on Sunday on renaming their country the Republic of North Macedonia, to end a long dispute with Greece."),
    ("item:ntrex-rt-com-91337", "ru", "faithful", "", "В воскресенье жители Македонии голосуют за переименование страны в Республику Северная Македония."),
    ("item:ntrex-rt-com-91337", "en", "unfaithful", "org_invented", "Macedonians vote on Sunday on a new name, a change the European Commission has backed."),
    ("item:ntrex-rt-com-91337", "ru", "unfaithful", "place_invented", "Референдум о переименовании страны должен урегулировать спор с Болгарией."),
    ("item:ntrex-cbsnews-248411", "en", "faithful", "", "Air Niugini now says one man is missing after its plane crashed into a lagoon in Micronesia; it had said all 47 people got out."),
    ("item:ntrex-cbsnews-248411", "ru", "faithful", "", "Авиакомпания Air Niugini сообщила, что после крушения самолета в лагуне в Микронезии пропал один пассажир; на борту было 47 человек."),
    ("item:ntrex-cbsnews-248411", "en", "unfaithful", "number_changed", "Air Niugini says one man is missing after its plane with 74 passengers and crew crashed into a lagoon."),
    ("item:ntrex-cbsnews-248411", "ru", "unfaithful", "number_changed", "Air Niugini сообщила, что пропали двое мужчин после крушения самолета в Микронезии."),
    ("item:ntrex-rt-com-91335", "en", "faithful", "", "US Interior Secretary Ryan Zinke said the Navy could be used to keep Russian energy off markets, the Washington Examiner reported."),
    ("item:ntrex-rt-com-91335", "ru", "faithful", "", "Министр внутренних дел США Райан Зинке допустил использование ВМС, чтобы не пустить российские энергоносители на рынки."),
    ("item:ntrex-rt-com-91335", "en", "unfaithful", "quote_invented", "Ryan Zinke said the Navy would \"close every sea lane to Russian gas\" if necessary."),
    ("item:ntrex-rt-com-91335", "ru", "unfaithful", "place_invented", "Министр Райан Зинке заявил, что ВМС США могут блокировать российские поставки энергоносителей в Европу через Балтийское море."),
    ("item:ntrex-reuters-218933", "en", "faithful", "", "The U.S. ambassador accused China of using the American press for propaganda after the China Daily ran a four-page supplement in the Des Moines Register."),
    ("item:ntrex-reuters-218933", "ru", "faithful", "", "Посол США обвинил Пекин в пропаганде после того, как China Daily разместила четырехстраничную вставку в газете Des Moines Register."),
    ("item:ntrex-reuters-218933", "en", "unfaithful", "number_changed", "China Daily ran a six-page ad in the Des Moines Register, the U.S. ambassador said."),
    ("item:ntrex-reuters-218933", "en", "unfaithful", "date_changed", "Trump accused China of meddling in the Nov. 8 congressional elections."),
    ("item:ntrex-reuters-218933", "ru", "unfaithful", "person_invented", "Посол США Терри Бранстад и госсекретарь Майк Помпео обвинили Китай в пропаганде."),
    ("seed:002_ru_almaty_transport.txt", "ru", "faithful", "", "В Алматы в июне начнется строительство первой линии LRT протяженностью 22,8 километра с 18 станциями, сообщил Данияр Мусабеков."),
    ("seed:002_ru_almaty_transport.txt", "ru", "unfaithful", "number_changed", "В Алматы построят линию LRT длиной 28,2 километра с 18 станциями."),
    ("seed:002_ru_almaty_transport.txt", "en", "unfaithful", "person_invented", "Almaty mayor Yerbolat Dossayev said construction of the city's first LRT line starts in June."),
]

out = Path(__file__).with_name("heldout.jsonl")
with out.open("w", encoding="utf-8") as fh:
    for i, (source, lang, label, fault, summary) in enumerate(CASES):
        record = {"id": f"h{i:03d}", "source": source, "lang": lang, "label": label, "fault": fault, "summary": summary,
                  "provenance": "hand-made summary, fictional" + (f"; hand-made fault ({fault})" if fault else "")}
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
print(len(CASES), "cases")
