package cmdutil

import (
	"io"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/table"
	"github.com/ecgkit/ecg/internal/defaultmodel"
)

// WriteTable writes a library's table t to w in format (text, tsv, csv
// or json lines) with internal/cli/table.
func WriteTable(w io.Writer, format string, t datasets.Table) error {
	tw := table.New(w, format, t.Columns...)
	cells := make([]table.Cell, 0, len(t.Columns))
	err := t.Rows(func(row []datasets.Cell) error {
		cells = cells[:0]
		for _, c := range row {
			cells = append(cells, tableCell(c))
		}
		return tw.Row(cells...)
	})
	if err != nil {
		return err
	}
	return tw.Flush()
}

// tableCell is c as a table.Cell.
func tableCell(c datasets.Cell) table.Cell {
	switch c.Kind {
	case datasets.CellInt:
		return table.Int(c.Int)
	case datasets.CellNum:
		return table.Num(c.Num, c.Prec)
	case datasets.CellBool:
		return table.Bool(c.Bool)
	}
	return table.Text(c.Text)
}

// BeatModel loads the beat model a --classify value names (flag, e.g.
// "--classify"); a model that does not classify beats is a usage error
// that says so.
func BeatModel(flag, path string) (*classify.Model, error) {
	m, err := defaultmodel.LoadBeats(path)
	if err != nil {
		return nil, err
	}
	if err := classify.CheckBeatModel(m); err != nil {
		return nil, Usagef("%s %s: %v", flag, path, err)
	}
	return m, nil
}
