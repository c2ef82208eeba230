// Package table writes rows of named columns in the output formats the
// ecg commands share: text (aligned columns for people), tsv, csv (a
// header row, then a row per line) and json (JSON lines: an object per
// row, keyed by the column names in order).
//
// A row is made of typed cells, each formatted as text or as JSON as the
// format asks, so that one row serves every format: numbers have a fixed
// number of decimals as text and are rounded to 4 decimals in JSON, NaN is
// "NaN" as text and null in JSON, flags are 1 or 0 as text and true or
// false in JSON. Rows are appended to one buffer with strconv and written
// in large blocks (Flush writes the rest).
package table
