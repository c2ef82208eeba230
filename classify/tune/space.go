package tune

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/classify"
)

// Kind is the type of a hyperparameter's values.
type Kind int

// Kinds of hyperparameters.
const (
	Int Kind = iota
	Float
	Categorical
)

// Param is one dimension of a search space: an integer or continuous range
// [Min, Max] (sampled uniformly, or uniformly in the logarithm with Log),
// or a list of categorical Values.
type Param struct {
	Name     string
	Kind     Kind
	Min, Max float64
	Log      bool
	Values   []string
}

// Space is a search space: one Param per hyperparameter, in the order of
// Names.
type Space []Param

// paramDef is what tune knows of a hyperparameter: its kind, its bounds
// (inclusive) and, for categoricals, the values it may take.
type paramDef struct {
	kind     Kind
	min, max float64
	values   []string
	doc      string
}

// defs are the hyperparameters a space may name: ecg train's learner
// flags, the quantile bins of both learners, and the signal feature set.
var defs = map[string]paramDef{
	"learner":       {kind: Categorical, values: []string{"forest", "gbdt"}, doc: "the learner"},
	"trees":         {kind: Int, min: 1, max: 5000, doc: "forest: number of trees"},
	"max-depth":     {kind: Int, min: 1, max: 64, doc: "maximum tree depth (both learners)"},
	"min-leaf":      {kind: Int, min: 1, max: 1e6, doc: "forest: minimum samples per leaf"},
	"max-features":  {kind: Int, min: 1, max: 1e4, doc: "forest: features tried per split"},
	"class-weight":  {kind: Categorical, values: []string{"balanced", "none"}, doc: "class weighting (both learners)"},
	"bins":          {kind: Int, min: 2, max: 256, doc: "quantile bins per feature (both learners)"},
	"feature-set":   {kind: Int, min: 1, max: classify.LatestSignalFeatureSet, doc: "signal feature set (records only)"},
	"rounds":        {kind: Int, min: 1, max: 5000, doc: "gbdt: boosting rounds"},
	"learning-rate": {kind: Float, min: 1e-4, max: 1, doc: "gbdt: shrinkage"},
	"subsample":     {kind: Float, min: 0.01, max: 1, doc: "gbdt: share of rows per round"},
	"colsample":     {kind: Float, min: 0.01, max: 1, doc: "gbdt: share of features per tree"},
	"lambda":        {kind: Float, min: 0, max: 1e3, doc: "gbdt: L2 penalty on leaf values"},
	"min-hessian":   {kind: Float, min: 0, max: 1e3, doc: "gbdt: least hessian sum in a leaf"},
}

// Names are the hyperparameters a space may name, in the order a Space
// keeps them.
var Names = []string{"learner", "feature-set", "trees", "rounds", "learning-rate", "max-depth", "min-leaf",
	"max-features", "subsample", "colsample", "lambda", "min-hessian", "class-weight", "bins"}

// Describe returns a line per hyperparameter: its name, kind and bounds,
// and what it sets.
func Describe() string {
	var b strings.Builder
	for _, n := range Names {
		d := defs[n]
		switch d.kind {
		case Categorical:
			fmt.Fprintf(&b, "  %-14s %s: %s\n", n, strings.Join(d.values, "|"), d.doc)
		default:
			fmt.Fprintf(&b, "  %-14s %g to %g: %s\n", n, d.min, d.max, d.doc)
		}
	}
	return b.String()
}

// ParseParam parses NAME=RANGE, as --param takes it: RANGE is MIN:MAX
// (uniform), MIN:MAX:log (uniform in the logarithm; MIN > 0) or A|B|C (a
// categorical; also for numeric parameters, whose values must then be
// numbers in their bounds).
func ParseParam(s string) (Param, error) {
	name, r, ok := strings.Cut(s, "=")
	if !ok {
		return Param{}, fmt.Errorf("%q: want NAME=MIN:MAX[:log] or NAME=A|B|C", s)
	}
	return NewParam(strings.TrimSpace(name), strings.TrimSpace(r))
}

// NewParam makes the parameter name of range r (as ParseParam's RANGE).
func NewParam(name, r string) (Param, error) {
	d, ok := defs[name]
	if !ok {
		return Param{}, fmt.Errorf("unknown parameter %q (known: %s)", name, strings.Join(Names, ", "))
	}
	p := Param{Name: name, Kind: d.kind}
	if strings.Contains(r, "|") || d.kind == Categorical {
		return p.categorical(d, strings.Split(r, "|"))
	}
	parts := strings.Split(r, ":")
	switch {
	case len(parts) == 3 && parts[2] == "log":
		p.Log = true
	case len(parts) == 3 && parts[2] == "linear":
	case len(parts) != 2:
		return p, fmt.Errorf("%s=%q: want MIN:MAX, MIN:MAX:log or A|B|C", name, r)
	}
	var err error
	if p.Min, err = d.number(name, parts[0]); err != nil {
		return p, err
	}
	if p.Max, err = d.number(name, parts[1]); err != nil {
		return p, err
	}
	switch {
	case p.Min >= p.Max:
		return p, fmt.Errorf("%s=%q: empty or inverted range (want MIN < MAX)", name, r)
	case p.Log && p.Min <= 0:
		return p, fmt.Errorf("%s=%q: a log range needs MIN > 0", name, r)
	}
	return p, nil
}

// number parses one bound of parameter name and checks it against d.
func (d paramDef) number(name, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: %q is not a number", name, s)
	}
	if d.kind == Int && v != math.Trunc(v) {
		return 0, fmt.Errorf("%s: %q is not an integer", name, s)
	}
	if v < d.min || v > d.max {
		return 0, fmt.Errorf("%s: %v is out of bounds (%g to %g)", name, v, d.min, d.max)
	}
	return v, nil
}

// categorical makes p a categorical of values (at least two, distinct, of
// d's values or, for a numeric parameter, numbers in its bounds).
func (p Param) categorical(d paramDef, values []string) (Param, error) {
	p.Kind = Categorical
	for i, v := range values {
		v = strings.TrimSpace(v)
		values[i] = v
		switch {
		case d.kind == Categorical && !slices.Contains(d.values, v):
			return p, fmt.Errorf("%s: %q is not one of %s", p.Name, v, strings.Join(d.values, "|"))
		case d.kind != Categorical:
			if _, err := d.number(p.Name, v); err != nil {
				return p, err
			}
		}
		if slices.Contains(values[:i], v) {
			return p, fmt.Errorf("%s: %q is repeated", p.Name, v)
		}
	}
	if len(values) < 2 {
		return p, fmt.Errorf("%s: a categorical needs at least two values (fix one with ecg train's flag instead)", p.Name)
	}
	p.Values = values
	return p, nil
}

// NewSpace checks params (no name twice, at least one) and returns them
// in the order of Names.
func NewSpace(params []Param) (Space, error) {
	if len(params) == 0 {
		return nil, fmt.Errorf("empty search space")
	}
	s := append(Space(nil), params...)
	for i, p := range s {
		for _, q := range s[:i] {
			if q.Name == p.Name {
				return nil, fmt.Errorf("parameter %q given twice", p.Name)
			}
		}
	}
	slices.SortStableFunc(s, func(a, b Param) int { return slices.Index(Names, a.Name) - slices.Index(Names, b.Name) })
	return s, nil
}

// DefaultSpace is the space searched when none is given, for the learner
// (classify.LearnerGBDT or classify.LearnerForest's names "gbdt" and
// "forest"): ranges around ecg train's defaults that cover the useful
// settings.
func DefaultSpace(learner string) Space {
	must := func(s string) Param {
		p, err := ParseParam(s)
		if err != nil {
			panic(err)
		}
		return p
	}
	if learner == "gbdt" {
		return Space{must("rounds=50:300:log"), must("learning-rate=0.02:0.3:log"), must("max-depth=3:10"),
			must("subsample=0.5:1"), must("colsample=0.2:1"), must("class-weight=balanced|none"), must("bins=16:128:log")}
	}
	return Space{must("trees=50:800:log"), must("max-depth=6:32"), must("min-leaf=1:20:log"),
		must("max-features=2:32:log"), must("class-weight=balanced|none"), must("bins=16:128:log")}
}

// String returns the parameter as ParseParam reads it.
func (p Param) String() string {
	switch {
	case p.Kind == Categorical:
		return p.Name + "=" + strings.Join(p.Values, "|")
	case p.Log:
		return fmt.Sprintf("%s=%g:%g:log", p.Name, p.Min, p.Max)
	}
	return fmt.Sprintf("%s=%g:%g", p.Name, p.Min, p.Max)
}

// Format returns the value v of p as text: an integer, a number with
// four significant digits, or the categorical value of index v.
func (p Param) Format(v float64) string {
	switch p.Kind {
	case Int:
		return strconv.FormatInt(int64(math.Round(v)), 10)
	case Categorical:
		return p.Values[int(v)]
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// Value parses text written by Format back into a value of p.
func (p Param) Value(s string) (float64, error) {
	if p.Kind == Categorical {
		i := slices.Index(p.Values, s)
		if i < 0 {
			return 0, fmt.Errorf("%s: %q is not one of %s", p.Name, s, strings.Join(p.Values, "|"))
		}
		return float64(i), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", p.Name, s)
	}
	return v, nil
}

// snap returns v rounded as Format writes it (integers; four significant
// digits), clamped to p's range, so that a value read back from a trials
// file is the value the trial ran with.
func (p Param) snap(v float64) float64 {
	switch p.Kind {
	case Categorical:
		return math.Max(0, math.Min(float64(len(p.Values)-1), math.Round(v)))
	case Int:
		v = math.Round(v)
	default:
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	}
	return math.Max(p.Min, math.Min(p.Max, v))
}

// Point is one setting of a space: a value per parameter (the index of
// the value for categoricals).
type Point []float64

// Format returns the values of pt as text, one per parameter of s.
func (s Space) Format(pt Point) []string {
	out := make([]string, len(s))
	for i, p := range s {
		out[i] = p.Format(pt[i])
	}
	return out
}

// String returns the space as --param arguments.
func (s Space) String() string {
	var parts []string
	for _, p := range s {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, " ")
}
