// Package dataset reads a project's inputs into one tidy Table: a count or
// metric value per period × segment × step, plus, for records and event
// logs, each lead's dated steps (the durations and windowed counts the
// analysis needs). What a column means is decided here; how a cell or row
// of a file is read (dialect, numbers, dates, positions) is package
// csvio's, and period labels are package period's.
//
// Its jobs, by file (docs/design.md §1):
//   - labels: labels.go (label limits), period.go (each file's period
//     labels checked once, of one kind), outliers.go (typo dates);
//   - sources: load.go (finding the files, the dispatch), snapshot.go
//     (long and wide snapshots), records.go (one row per lead) and
//     events.go (one row per event) on one row loop (leadfile.go) into
//     one lead counter (leads.go), rowsource.go and pushdown.go (Excel
//     and database sources);
//   - the table: table.go (totals, segments, Finalize);
//   - errors.go, columns.go: problems with their file, line and column.
package dataset
