package i18n

// The home page's hero and funnel strings, kept apart from strings.go so
// the two lists merge cleanly; init adds them to the dictionaries.
var homeEN = map[string]string{
	"hero":                     "The period at a glance",
	"hero_revenue":             "Revenue",
	"hero_revenue_note":        "deals × %s",
	"hero_stake":               "Money at stake",
	"hero_stake_outcomes":      "At stake",
	"hero_stake_where":         "if %s reached %s",
	"hero_stake_range":         "likely %s",
	"hero_stake_note":          "The largest gain the data confirms. Gains at different steps overlap, so they are never added up.",
	"hero_untested":            "descriptive, not tested",
	"hero_action":              "Raise %s from %s to %s",
	"hero_action_title":        "First thing to do",
	"hero_no_claim_title":      "No confirmed bottleneck",
	"hero_no_claim":            "No gap in this period stands out from noise.",
	"hero_no_claim_detectable": "No gap in this period stands out from noise. With these volumes, a fall at %s smaller than %s cannot be told from chance.",
	"hero_no_claim_maturing":   "Too early to tell: the cohort is still maturing, so its conversion is provisional and nothing is tested yet.",
	"hero_no_claim_action":     "Keep collecting data; look again next period.",
	"funnel_of_prev":           "of previous step",
	"funnel_of_first":          "%s of first step",
	"funnel_lost":              "lost",
	"funnel_bottleneck":        "bottleneck",
	"funnel_prev_period":       "previous period",
	"funnel_ghost_note":        "Pale bars: the previous period.",
	"funnel_true_note":         "Bar widths are true proportions of the first step.",
	"stage_no_status":          "no reference",
	"detail_section":           "Step by step",
	"other_segments_n":         "other (%d)",
	"stage_conversion":         "conversion through the stage",
	"stage_status_ok":          "meets its references",
	"stage_status_warn":        "below reference, within noise",
	"stage_status_bad":         "below reference",
}

var homeRU = map[string]string{
	"hero":                     "Период в цифрах",
	"hero_revenue":             "Выручка",
	"hero_revenue_note":        "сделки × %s",
	"hero_stake":               "На кону",
	"hero_stake_outcomes":      "На кону",
	"hero_stake_where":         "если %s выйдет на %s",
	"hero_stake_range":         "вероятно, %s",
	"hero_stake_note":          "Наибольший выигрыш, который подтверждают данные. Выигрыши на разных шагах пересекаются, поэтому их не складывают.",
	"hero_untested":            "описательно, без проверки значимости",
	"hero_action":              "Поднять %s с %s до %s",
	"hero_action_title":        "Что сделать первым",
	"hero_no_claim_title":      "Подтверждённого узкого места нет",
	"hero_no_claim":            "Ни один разрыв в этом периоде не отличим от шума.",
	"hero_no_claim_detectable": "Ни один разрыв в этом периоде не отличим от шума. При таких объёмах падение конверсии %s меньше чем на %s от случайности не отличить.",
	"hero_no_claim_maturing":   "Судить рано: когорта ещё созревает, конверсия предварительная, проверок пока нет.",
	"hero_no_claim_action":     "Продолжать сбор данных и вернуться к оценке в следующем периоде.",
	"funnel_of_prev":           "от предыдущего шага",
	"funnel_of_first":          "сквозная: %s",
	"funnel_lost":              "потеряно",
	"funnel_bottleneck":        "узкое место",
	"funnel_prev_period":       "прошлый период",
	"funnel_ghost_note":        "Бледные полосы — прошлый период.",
	"funnel_true_note":         "Длина полос — истинная доля от первого шага.",
	"stage_no_status":          "ориентира нет",
	"detail_section":           "По шагам",
	"other_segments_n":         "остальные (%d)",
	"stage_conversion":         "конверсия этапа",
	"stage_status_ok":          "на уровне ориентира",
	"stage_status_warn":        "ниже ориентира в пределах шума",
	"stage_status_bad":         "ниже ориентира",
}

func init() {
	for k, v := range homeEN {
		en[k] = v
	}
	for k, v := range homeRU {
		ru[k] = v
	}
}
