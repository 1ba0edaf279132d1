// Package dataset reads a project's inputs into one tidy Table: a count or
// metric value per period × segment × step, plus, for records and event
// logs, each lead's dated steps (the durations and windowed counts the
// analysis needs). It is the one package that knows file formats; what
// comes out is plain numbers and labels.
//
// Its jobs, by file (docs/design.md §1):
//   - reading cells: csvfile.go (encoding, BOM, delimiter), number.go
//     (spreadsheet numbers), dates.go and rows.go (date layouts, detected
//     per column), labels.go (label limits), outliers.go (typo dates);
//   - periods: period.go (labels, their order, a date's period);
//   - sources: load.go (snapshots, long and wide, and the dispatch),
//     records.go (one row per lead), events.go (one row per event),
//     rowsource.go and pushdown.go (Excel and database sources);
//   - the table: table.go (totals, segments, Finalize);
//   - errors.go: every problem with its file, line and column, capped.
package dataset
