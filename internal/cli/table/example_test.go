package table_test

import (
	"math"
	"os"

	"github.com/ecgkit/ecg/internal/cli/table"
)

// The same rows as aligned text and as JSON lines: NaN is "NaN" in text
// and null in JSON, a flag is 1 or true.
func ExampleWriter() {
	for _, format := range []string{"text", "json"} {
		w := table.New(os.Stdout, format, "record", "beats", "mean_hr", "noisy")
		w.Row(table.Text("100"), table.Int(2273), table.Num(75.28, 1), table.Bool(false))
		w.Row(table.Text("x"), table.Int(0), table.Num(math.NaN(), 1), table.Bool(true))
		w.Flush()
	}
	// Output:
	// record  beats  mean_hr  noisy
	// 100     2273   75.3     0
	// x       0      NaN      1
	// {"record":"100","beats":2273,"mean_hr":75.28,"noisy":false}
	// {"record":"x","beats":0,"mean_hr":null,"noisy":true}
}
