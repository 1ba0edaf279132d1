package i18n

import "strings"

// Term is one entry of the method page's glossary (issue 15, item 9): the
// exact term — as the data export, the statistics and funnel.yaml name it
// — the plain words the pages use instead, and what it means. Pages speak
// plainly; the glossary keeps the precise words for whoever checks them.
type Term struct {
	Term    string // "p", "max_days"
	Plain   string // the pages' words: "Chance if noise"
	Meaning string
	Same    bool // the pages use the term itself (up to case)
}

// glossaryTerm is an entry whose plain words are a UI string (key), so
// the glossary names exactly what the pages print.
type glossaryTerm struct{ term, plainKey, plain, meaning string }

var glossaryEN = []glossaryTerm{
	{"step conversion", "step_conversion", "", "The share of those at one step who reach the next: count at the step ÷ count at the step before."},
	{"overall conversion", "cumulative", "", "Count at a step ÷ count at the first step."},
	{"tested rate (r^W)", "", "step conversion within N days", "For dated records, the share that reached the next step within a fixed window of W days; every cohort is compared at the same age, so young cohorts do not look worse only for being young."},
	{"95% interval", "interval95", "", "Wilson interval: where the true conversion lies given the sample size."},
	{"reference", "reference", "", "What a conversion is held to: the target from funnel.yaml, else the pooled rate of the previous comparable periods, else (for a segment) the other segments in the same period."},
	{"reference source", "reference_source", "", "Which of these the reference is: target, past periods or other segments."},
	{"bottleneck", "", "bottleneck", "The transition below its reference whose reaching it would add the most final outcomes; ranked by that gain, never summed with other gains."},
	{"p (p-value)", "p_value", "", "The chance of a gap at least this large if the true conversion met its reference: the smaller, the less the gap looks like noise."},
	{"adjusted p (Benjamini–Hochberg)", "p_adjusted", "", "The p-value corrected for all the checks of the period at once (Benjamini–Hochberg, q = 0.05), so testing many transitions does not manufacture findings."},
	{"confident", "confident", "", "A claim whose adjusted p is below 0.05: it stands out from noise."},
	{"not significant", "not_significant", "", "A gap the data cannot tell from chance at these volumes."},
	{"untested", "untested", "", "Claims from data whose cases are not independent (counted by event): described, never tested."},
	{"provisional", "provisional_short", "", "Rests on a cohort younger than its window: its conversion may still grow, so it is not a fall."},
	{"small sample", "small_sample", "", "Fewer cases at the step before than min_sample (default 30): shown greyed, never ranked or tested."},
	{"median", "median", "", "Half of the clients move on faster than this, half slower."},
	{"p90", "p90", "", "Nine in ten of those who move on do so within this many days."},
	{"max_days", "", "limit (days)", "The configured longest acceptable wait between two steps; a transition slower than it is drawn out."},
	{"drawn-out transition", "", "drawn-out transition", "A transition whose median wait is above its limit (max_days, else the usual median of past periods), confirmed by a one-sided Mann–Whitney test."},
	{"client-days", "client_days_lost", "", "Extra days of waiting summed over clients: (median − limit) × clients at the step; drawn-out transitions are ranked by it."},
}

var glossaryRU = []glossaryTerm{
	{"конверсия шага", "step_conversion", "", "Доля дошедших со шага до следующего: число на шаге ÷ число на предыдущем шаге."},
	{"сквозная конверсия", "cumulative", "", "Число на шаге ÷ число на первом шаге."},
	{"проверяемая конверсия (r^W)", "", "конверсия шага за N дней", "Для датированных записей — доля дошедших до следующего шага за W дней; когорты сравниваются в одном возрасте, и молодая когорта не выглядит хуже только из-за возраста."},
	{"95% интервал", "interval95", "", "Интервал Уилсона: где лежит истинная конверсия с учётом размера выборки."},
	{"ориентир", "reference", "", "С чем сравнивается конверсия: цель из funnel.yaml, иначе общая конверсия прошлых сопоставимых периодов, иначе (для сегмента) остальные сегменты того же периода."},
	{"источник ориентира", "reference_source", "", "Какой из них взят: цель, прошлые периоды или другие сегменты."},
	{"узкое место", "", "узкое место", "Переход ниже ориентира, выход которого на ориентир дал бы больше всего итоговых результатов; ранжируется по этому выигрышу, выигрыши разных переходов не складываются."},
	{"p (p-значение)", "p_value", "", "Вероятность получить разрыв не меньше наблюдаемого, если на деле конверсия равна ориентиру: чем меньше, тем меньше разрыв похож на шум."},
	{"скорректированное p (Бенджамини — Хохберг)", "p_adjusted", "", "p-значение с поправкой на все проверки периода сразу (Бенджамини — Хохберг, q = 0,05), чтобы множество проверок не порождало ложных выводов."},
	{"надёжно (confident)", "confident", "", "Вывод, у которого скорректированное p меньше 0,05: он выделяется из шума."},
	{"незначимо", "not_significant", "", "Разрыв, который при таких объёмах нельзя отличить от случайности."},
	{"без проверки", "untested", "", "Выводы по данным, где случаи не независимы (счёт по событиям): описываются, но не проверяются."},
	{"предварительно (provisional)", "provisional_short", "", "Число опирается на когорту моложе её окна: конверсия ещё может вырасти, поэтому это не падение."},
	{"малая выборка", "small_sample", "", "На предыдущем шаге меньше min_sample случаев (по умолчанию 30): показывается серым, не ранжируется и не проверяется."},
	{"медиана", "median", "", "Половина клиентов проходит переход быстрее, половина — медленнее."},
	{"p90", "p90", "", "Девять из десяти прошедших переход проходят его не дольше этого срока."},
	{"max_days", "", "норма (дней)", "Заданный в funnel.yaml наибольший допустимый срок между двумя шагами; переход дольше нормы — затянутый."},
	{"затянутый переход", "", "затянутый переход", "Переход, медиана которого выше нормы (max_days, иначе обычной медианы прошлых периодов), что подтверждено односторонним тестом Манна — Уитни."},
	{"клиенто-дни", "client_days_lost", "", "Лишние дни ожидания, сложенные по клиентам: (медиана − норма) × число клиентов на шаге; по ним ранжируются затянутые переходы."},
}

// Glossary is the method page's list of exact terms in the page language.
func (l *Locale) Glossary() []Term {
	src := glossaryEN
	if l.Lang == "ru" {
		src = glossaryRU
	}
	out := make([]Term, len(src))
	for i, g := range src {
		plain := g.plain
		if g.plainKey != "" {
			plain = l.T(g.plainKey)
		}
		out[i] = Term{Term: g.term, Plain: plain, Meaning: g.meaning, Same: strings.EqualFold(plain, g.term)}
	}
	return out
}

// The glossary's own UI strings, kept here so strings.go merges cleanly.
func init() {
	en["glossary"] = "Glossary"
	en["glossary_plain"] = "on the pages: %s"
	ru["glossary"] = "Словарь терминов"
	ru["glossary_plain"] = "на страницах: %s"
	// Segment pages (issue 15, item 10): metrics not split by segment.
	en["metrics_not_segmented"] = "Measured for the whole funnel only, not per segment: %s."
	en["metrics_not_segmented_all"] = "The stage metrics (%s) are measured for the whole funnel only, not per segment: see the stage pages."
	ru["metrics_not_segmented"] = "Только по воронке в целом, без разбивки по сегментам: %s."
	ru["metrics_not_segmented_all"] = "Показатели этапов (%s) считаются только по воронке в целом, без разбивки по сегментам: они на страницах этапов."
}
