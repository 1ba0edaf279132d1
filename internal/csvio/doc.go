// Package csvio reads the cells and rows of one input file: the CSV
// dialect (encoding, byte-order mark, delimiter, line ends, Excel's
// "sep=" line), rows with the line and byte column of every field (or a
// workbook's or query's rows through the same File), numbers as
// spreadsheets write them, and dates with their layout detected per
// column. It knows nothing of funnels: what a column means is the
// loaders' business (package dataset). Every problem is an errpos.Error
// naming file, line and column.
package csvio
