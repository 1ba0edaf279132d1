package main

// newProject is what `funnel new` writes, per language: a small worked
// example (a supplier over four quarters, two channels) that builds at once
// and shows every input a project has.
var newProject = map[string]map[string]string{
	"ru": {
		"funnel.yaml": `# Настройки отчёта. Полное описание — в README.md.
title: "Моя компания — воронка B2B-клиентов"
language: ru
currency: "₽"

# Шаги воронки по порядку; target — целевая конверсия из предыдущего шага.
steps:
  - {id: visits, name: Посещения сайта, stage: awareness}
  - {id: requests, name: Запросы цены, stage: consideration, target: 3%}
  - {id: proposals, name: Отправлено КП, stage: decision, target: 70%}
  - {id: deals, name: Сделки, stage: decision, target: 30%}
  - {id: repeat, name: Повторные покупки, stage: loyalty, target: 40%}

# Другие показатели этапов: единица, цель и направление (lower — меньше лучше).
metrics:
  - {id: response_hours, name: Время ответа на заявку, stage: decision, unit: hours, target: 4, direction: lower}
  - {id: nps, name: NPS, stage: loyalty, unit: nps, target: 40}

segments: [channel]
`,
		"data/funnel.csv":  newCSV,
		"data/metrics.csv": newMetricsCSV,
		"content/_index.md": `---
title: Обзор
---
## Главное

Сквозная конверсия за квартал — {{< value "cumulative" step="deals" >}}:
посещений — {{< value "count" step="visits" >}}, сделок — {{< value "count" step="deals" >}}.
Переход «КП → сделка» — {{< value "conversion" step="deals" >}} при цели {{< value "target" step="deals" >}}.

` + "```funnel chart=conversion segment=channel:web" + `
Конверсия шагов: только веб-канал
` + "```" + `
`,
		"content/periods/2025-Q4.md": `---
title: IV квартал 2025
summary: Итоги квартала
---
## Что произошло

Напишите здесь комментарий к кварталу: Markdown, таблицы, сноски и встроенные
графики, например воронка выставочного канала:

` + "```funnel chart=funnel segment=channel:exhibitions\n```" + `
`,
		"content/stages/decision.md": `---
title: Решение
---
Время ответа на заявку в последнем квартале — {{< value "metric" metric="response_hours" >}}
(цель — {{< value "target" metric="response_hours" >}}).
`,
		"content/method.md": `---
title: Методика
weight: 10
summary: Откуда числа и как их читать
---
- **Конверсия шага** — доля клиентов предыдущего шага, дошедших до этого.
- **95% интервал** — диапазон, в котором конверсия лежит с учётом малой выборки.
- **Сквозная конверсия** — доля от первого шага.
`,
		"README.md": `# Отчёт о воронке

Этот отчёт собирает программа funnel из трёх папок:

- data/ — числа в CSV: одна строка на период и канал, один столбец на шаг воронки
  (data/funnel.csv), и показатели этапов в «длинной» форме (data/metrics.csv:
  period, channel, metric, value). Пустой channel — итог по всем каналам.
- content/ — комментарии в Markdown: _index.md — главная, periods/<период>.md —
  страница периода, stages/<этап>.md — страница этапа, segments/<измерение>/<значение>.md
  — страница сегмента, любое другое имя — отдельная страница.
- funnel.yaml — название, язык, шаги с целями, показатели, сегменты.

Собрать сайт: funnel build --source .   (результат — public/index.html, открывается без сервера)
Смотреть с автообновлением: funnel serve

В комментарии можно вставить любой график, таблицу или число отчёта:

    ` + "```funnel chart=conversion period=2025-Q4 segment=channel:web" + `
    ` + "```" + `

    Конверсия в сделку: {{< value "conversion" step="deals" >}}

Новый квартал: добавьте строки в data/*.csv и, если нужно, content/periods/<период>.md.
`,
	},
	"en": {
		"funnel.yaml": `# Report settings. See README.md.
title: "My company — B2B customer funnel"
language: en
currency: "$"

# Funnel steps in order; target is the wanted conversion from the previous step.
steps:
  - {id: visits, name: Site visits, stage: awareness}
  - {id: requests, name: Quote requests, stage: consideration, target: 3%}
  - {id: proposals, name: Proposals sent, stage: decision, target: 70%}
  - {id: deals, name: Deals, stage: decision, target: 30%}
  - {id: repeat, name: Repeat purchases, stage: loyalty, target: 40%}

# Other stage metrics: unit, target and direction (lower: smaller is better).
metrics:
  - {id: response_hours, name: Response time to a request, stage: decision, unit: hours, target: 4, direction: lower}
  - {id: nps, name: NPS, stage: loyalty, unit: nps, target: 40}

segments: [channel]
`,
		"data/funnel.csv":  newCSV,
		"data/metrics.csv": newMetricsCSV,
		"content/_index.md": `---
title: Overview
---
## The headline

Overall conversion this quarter is {{< value "cumulative" step="deals" >}}:
{{< value "count" step="visits" >}} visits gave {{< value "count" step="deals" >}} deals.
Proposal → deal converts at {{< value "conversion" step="deals" >}} against a target of {{< value "target" step="deals" >}}.

` + "```funnel chart=conversion segment=channel:web" + `
Step conversion: the web channel only
` + "```" + `
`,
		"content/periods/2025-Q4.md": `---
title: Q4 2025
summary: The quarter in brief
---
## What happened

Write the quarter's commentary here: Markdown, tables, footnotes and embedded
charts, such as the exhibitions channel's funnel:

` + "```funnel chart=funnel segment=channel:exhibitions\n```" + `
`,
		"content/stages/decision.md": `---
title: Decision
---
Response time to a request last quarter: {{< value "metric" metric="response_hours" >}}
(target {{< value "target" metric="response_hours" >}}).
`,
		"content/method.md": `---
title: Method
weight: 10
summary: Where the numbers come from and how to read them
---
- **Step conversion**: the share of the previous step's clients who reached this one.
- **95% interval**: where the conversion lies, given how small the sample is.
- **Overall conversion**: the share of the first step.
`,
		"README.md": `# Funnel report

This report is built by funnel from three folders:

- data/ — numbers in CSV: one row per period and channel, one column per funnel step
  (data/funnel.csv), and stage metrics in long form (data/metrics.csv: period,
  channel, metric, value). An empty channel is the total over all channels.
- content/ — Markdown commentary: _index.md is the home page, periods/<period>.md a
  period's page, stages/<stage>.md a stage's, segments/<dimension>/<value>.md a
  segment's; any other name becomes a page of its own.
- funnel.yaml — title, language, steps with targets, metrics, segments.

Build the site: funnel build --source .   (opens from public/index.html, no server needed)
Preview with live reload: funnel serve

Commentary can embed any chart, table or number of the report:

    ` + "```funnel chart=conversion period=2025-Q4 segment=channel:web" + `
    ` + "```" + `

    Conversion to a deal: {{< value "conversion" step="deals" >}}

A new quarter: add rows to data/*.csv and, if you like, content/periods/<period>.md.
`,
	},
}

const newCSV = `period,channel,visits,requests,proposals,deals,repeat
2025-Q1,web,6120,171,118,21,8
2025-Q1,exhibitions,1480,96,74,22,9
2025-Q2,web,6390,182,127,23,9
2025-Q2,exhibitions,1525,101,77,24,10
2025-Q3,web,6655,176,121,17,7
2025-Q3,exhibitions,1610,108,83,26,11
2025-Q4,web,7010,203,144,27,11
2025-Q4,exhibitions,1700,112,86,27,12
`

const newMetricsCSV = `period,channel,metric,value
2025-Q1,,response_hours,6.5
2025-Q1,,nps,31
2025-Q2,,response_hours,5.8
2025-Q2,,nps,34
2025-Q3,,response_hours,7.2
2025-Q3,,nps,29
2025-Q4,,response_hours,4.6
2025-Q4,,nps,36
`
