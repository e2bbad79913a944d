# ruff: noqa: E501  (a table of hand-made summaries, one case a row)
"""Writes cases.jsonl: hand-made summaries (fictional) of real items, faithful and unfaithful.

Kept as a script so the table stays readable; run it after editing the table."""

import json
from pathlib import Path

# (source ref, lang, label, fault, summary). Source refs: "seed:<file>", "agency:<file>",
# "item:<id>" (tests/data/real_outputs/items.jsonl, English text).
CASES = [
    # --- seed: Kazinform / BelTA, Mogilev, 2015-11-25
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "en",
        "faithful",
        "",
        "Kazakhstan's ambassador to Belarus, Yergali Bulegenov, met Mogilev Oblast governor Vladimir Domanevsky "
        "and proposed big joint investment projects; Domanevsky suggested a meeting of business leaders in Mogilev "
        "no later than January 2016.",
    ),
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "ru",
        "faithful",
        "",
        "Посол Казахстана в Беларуси Ергали Булегенов встретился с председателем Могилевского облисполкома "
        "Владимиром Доманевским. Стороны обсудили совместные инвестиционные проекты и встречу деловых кругов "
        "в Могилеве не позднее января 2016 года.",
    ),
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "en",
        "unfaithful",
        "date_changed",
        "Ambassador Yergali Bulegenov and governor Vladimir Domanevsky agreed that business leaders of Mogilev Oblast "
        "and Kazakhstan will meet in Mogilev no later than March 2016.",
    ),
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "en",
        "unfaithful",
        "person_invented",
        "Kazakhstan's ambassador Yergali Bulegenov and Belarusian Prime Minister Andrei Kobyakov discussed joint "
        "investment projects in Mogilev.",
    ),
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "ru",
        "unfaithful",
        "place_invented",
        "Посол Казахстана Ергали Булегенов предложил крупные совместные проекты и открыл Неделю казахского кино "
        "в Гомеле.",
    ),
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "en",
        "unfaithful",
        "quote_invented",
        'Bulegenov said: "Kazakhstan will invest one billion dollars in Mogilev" and met governor Domanevsky.',
    ),
    (
        "seed:000_8ce9aa6233c040a4.txt",
        "ru",
        "unfaithful",
        "number_invented",
        "Посол Ергали Булегенов заявил, что Казахстан вложит 500 млн долларов в проекты Могилевской области.",
    ),
    # --- Indonesia tsunami
    (
        "item:ntrex-euronews-en-153835",
        "en",
        "faithful",
        "",
        "The death toll from the earthquake and tsunami in Indonesia has risen to 832, spokesman Sutopo Purwo Nugroho "
        "said; the 7.5 magnitude quake struck on Friday.",
    ),
    (
        "item:ntrex-euronews-en-153835",
        "ru",
        "faithful",
        "",
        "Число погибших от землетрясения магнитудой 7,5 и цунами в Индонезии выросло до 832, сообщил представитель "
        "агентства Сутопо Пурво Нугрохо.",
    ),
    (
        "item:ntrex-euronews-en-153835",
        "en",
        "unfaithful",
        "number_changed",
        "The death toll from Indonesia's earthquake and tsunami has climbed to 823, the disaster agency said.",
    ),
    (
        "item:ntrex-euronews-en-153835",
        "ru",
        "unfaithful",
        "number_changed",
        "Число жертв землетрясения магнитудой 6,5 и цунами в Индонезии достигло 832.",
    ),
    (
        "item:ntrex-euronews-en-153835",
        "en",
        "unfaithful",
        "place_invented",
        "The death toll from the tsunami on the island of Sumatra has climbed to 832, the agency said on Sunday.",
    ),
    (
        "item:ntrex-euronews-en-153835",
        "ru",
        "unfaithful",
        "weekday_changed",
        "Землетрясение магнитудой 7,5 произошло в среду; число погибших в Индонезии достигло 832.",
    ),
    # --- China HIV
    (
        "item:ntrex-bbc-381669",
        "en",
        "faithful",
        "",
        "China reports a 14% rise in the number of citizens living with HIV and Aids; more than 820,000 people are affected.",
    ),
    (
        "item:ntrex-bbc-381669",
        "ru",
        "faithful",
        "",
        "Китай сообщил о росте числа людей с ВИЧ и СПИДом на 14%: их более 820 тысяч.",
    ),
    (
        "item:ntrex-bbc-381669",
        "en",
        "unfaithful",
        "number_changed",
        "China reports a 41% surge in HIV and Aids cases; more than 820,000 people are affected.",
    ),
    (
        "item:ntrex-bbc-381669",
        "ru",
        "unfaithful",
        "org_invented",
        "По данным Всемирной организации здравоохранения, число людей с ВИЧ в Китае выросло на 14%.",
    ),
    (
        "item:ntrex-bbc-381669",
        "en",
        "unfaithful",
        "number_changed",
        "China says about 1.2 million people now live with HIV and Aids, a 14% jump.",
    ),
    # --- North Korea defectors
    (
        "item:ntrex-bbc-381736",
        "en",
        "faithful",
        "",
        "South Korean lawmaker Park Byeong-seug says 1,127 North Koreans defected last year, against 2,706 in 2011, "
        "since Kim Jong-un came to power.",
    ),
    (
        "item:ntrex-bbc-381736",
        "ru",
        "faithful",
        "",
        "По данным депутата Пак Бён Сыга, в прошлом году из КНДР бежали 1127 человек против 2706 в 2011 году.",
    ),
    (
        "item:ntrex-bbc-381736",
        "en",
        "unfaithful",
        "year_changed",
        "Defections from North Korea fell to 1,127 last year from 2,706 in 2012, lawmaker Park Byeong-seug said.",
    ),
    (
        "item:ntrex-bbc-381736",
        "ru",
        "unfaithful",
        "person_invented",
        "Министр по делам объединения Чо Мён Гюн сообщил, что число перебежчиков снизилось до 1127 человек.",
    ),
    (
        "item:ntrex-bbc-381736",
        "en",
        "unfaithful",
        "quote_invented",
        'Park Byeong-seug said "the regime has sealed the border completely" as defections fell to 1,127.',
    ),
    # --- Syria
    (
        "item:ntrex-euronews-en-153799",
        "en",
        "faithful",
        "",
        "Speaking at the United Nations General Assembly, Syrian Foreign Minister Walid al-Moualem said Syria is ready "
        "for refugees to return after more than seven years of war.",
    ),
    (
        "item:ntrex-euronews-en-153799",
        "ru",
        "faithful",
        "",
        "Министр иностранных дел Сирии Валид аль-Муаллем заявил на Генассамблее ООН, что страна готова к возвращению беженцев.",
    ),
    (
        "item:ntrex-euronews-en-153799",
        "en",
        "unfaithful",
        "place_invented",
        "Speaking in Geneva, Foreign Minister Walid al-Moualem said Syria is ready for refugees to return.",
    ),
    (
        "item:ntrex-euronews-en-153799",
        "ru",
        "unfaithful",
        "number_changed",
        "Глава МИД Сирии Валид аль-Муалем заявил, что после десятилетней войны страна готова принять беженцев; "
        "война длится 10 лет.",
    ),
    # --- Ryder Cup
    (
        "item:ntrex-euronews-en-153826",
        "en",
        "faithful",
        "",
        "Team Europe beat Team USA 16.5 to 10.5 at Le Golf National outside Paris to win the 2018 Ryder Cup; the US "
        "has not won in Europe since 1993.",
    ),
    (
        "item:ntrex-euronews-en-153826",
        "ru",
        "faithful",
        "",
        "Сборная Европы обыграла команду США со счетом 16,5 — 10,5 и выиграла Кубок Райдера 2018 года под Парижем.",
    ),
    (
        "item:ntrex-euronews-en-153826",
        "en",
        "unfaithful",
        "year_changed",
        "Europe won the Ryder Cup near Paris 16.5 to 10.5; the US has not won on European soil since 1997.",
    ),
    (
        "item:ntrex-euronews-en-153826",
        "ru",
        "unfaithful",
        "person_invented",
        "Капитан сборной Европы Томас Бьорн привел команду к победе над США со счетом 16,5 — 10,5.",
    ),
    # --- Newport theft
    (
        "item:ntrex-cnn-304404",
        "en",
        "faithful",
        "",
        "Thieves stole $26,750 on Friday from a Brink's worker refilling an ATM at Newport on the Levee, "
        "Newport police said.",
    ),
    (
        "item:ntrex-cnn-304404",
        "ru",
        "faithful",
        "",
        "В пятницу воры похитили 26 750 долларов у сотрудника Brink's, заправлявшего банкомат в Ньюпорте.",
    ),
    (
        "item:ntrex-cnn-304404",
        "en",
        "unfaithful",
        "number_changed",
        "Thieves stole $62,750 from a Brink's worker refilling an ATM at Newport on the Levee on Friday.",
    ),
    (
        "item:ntrex-cnn-304404",
        "en",
        "unfaithful",
        "person_invented",
        "Police chief Thomas Collins said thieves stole $26,750 from an ATM at Newport on the Levee.",
    ),
    (
        "item:ntrex-cnn-304404",
        "ru",
        "unfaithful",
        "weekday_changed",
        "В понедельник воры похитили 26 750 долларов у инкассатора в Ньюпорте.",
    ),
    # --- Yonhap, Seoul
    (
        "agency:en_yonhap_seoul.txt",
        "en",
        "faithful",
        "",
        "North Korea's Rodong Sinmun blasted South Korea for holding a joint military exercise with the United States, "
        "warning that Seoul will pay dearly.",
    ),
    (
        "agency:en_yonhap_seoul.txt",
        "ru",
        "faithful",
        "",
        "Северокорейская газета «Нодон синмун» осудила совместные учения Южной Кореи и США и пригрозила Сеулу последствиями.",
    ),
    (
        "agency:en_yonhap_seoul.txt",
        "en",
        "unfaithful",
        "date_changed",
        "On Aug. 27, North Korea's official newspaper blasted South Korea for its joint drill with the U.S.",
    ),
    (
        "agency:en_yonhap_seoul.txt",
        "en",
        "unfaithful",
        "org_invented",
        "North Korea's KCNA news agency and the Rodong Sinmun warned Seoul over its joint drill with the U.S.",
    ),
    (
        "agency:en_yonhap_seoul.txt",
        "ru",
        "unfaithful",
        "place_invented",
        "Северная Корея осудила совместные учения Южной Кореи и США у острова Чеджу.",
    ),
    # --- CNN, Washington
    (
        "agency:en_cnn_washington.txt",
        "en",
        "faithful",
        "",
        "Some 40,000 new laws take effect in 2014, from Obamacare mandates to marijuana legalization in Colorado "
        "and a drone ban in Illinois.",
    ),
    (
        "agency:en_cnn_washington.txt",
        "en",
        "unfaithful",
        "number_changed",
        "Some 14,000 new laws take effect in 2014, from Obamacare to marijuana legalization in Colorado.",
    ),
    (
        "agency:en_cnn_washington.txt",
        "ru",
        "unfaithful",
        "place_invented",
        "С 2014 года в США вступают в силу около 40 000 законов, включая легализацию марихуаны в Техасе.",
    ),
    (
        "agency:en_cnn_washington.txt",
        "ru",
        "faithful",
        "",
        "В 2014 году в США вступают в силу около 40 000 новых законов: от Obamacare до легализации марихуаны в Колорадо.",
    ),
]

out = Path(__file__).with_name("cases.jsonl")
with out.open("w", encoding="utf-8") as fh:
    for i, (source, lang, label, fault, summary) in enumerate(CASES):
        fh.write(
            json.dumps(
                {
                    "id": f"s{i:03d}",
                    "source": source,
                    "lang": lang,
                    "label": label,
                    "fault": fault,
                    "summary": summary,
                    "provenance": "hand-made summary, fictional" + (f"; hand-made fault ({fault})" if fault else ""),
                },
                ensure_ascii=False,
            )
            + "\n"
        )
print(len(CASES), "cases")
