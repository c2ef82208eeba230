package nn

import (
	"fmt"
	"math"
)

// Optimizer updates parameters from their gradient.
type Optimizer interface {
	// Step updates p from the gradient g (same length).
	Step(p, g []float64)
}

// Adam is the Adam optimiser (Kingma and Ba 2015) with decoupled weight
// decay (AdamW, Loshchilov and Hutter 2019) when Decay > 0.
type Adam struct {
	LR, Beta1, Beta2, Eps, Decay float64
	m, v                         []float64
	t                            int
}

// NewAdam returns Adam with learning rate lr, the usual betas (0.9,
// 0.999), epsilon 1e-8 and weight decay decay.
func NewAdam(lr, decay float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Decay: decay}
}

// Step takes one Adam step.
func (o *Adam) Step(p, g []float64) {
	if o.m == nil {
		o.m, o.v = make([]float64, len(p)), make([]float64, len(p))
	}
	o.t++
	c1 := 1 - math.Pow(o.Beta1, float64(o.t))
	c2 := 1 - math.Pow(o.Beta2, float64(o.t))
	for i, gi := range g {
		o.m[i] = o.Beta1*o.m[i] + (1-o.Beta1)*gi
		o.v[i] = o.Beta2*o.v[i] + (1-o.Beta2)*gi*gi
		p[i] -= o.LR * (o.m[i]/c1/(math.Sqrt(o.v[i]/c2)+o.Eps) + o.Decay*p[i])
	}
}

// SGD is stochastic gradient descent with (heavy-ball) momentum and L2
// weight decay.
type SGD struct {
	LR, Momentum, Decay float64
	v                   []float64
}

// Step takes one SGD step: v = momentum v + g + decay p; p -= lr v.
func (o *SGD) Step(p, g []float64) {
	if o.v == nil {
		o.v = make([]float64, len(p))
	}
	for i, gi := range g {
		o.v[i] = o.Momentum*o.v[i] + gi + o.Decay*p[i]
		p[i] -= o.LR * o.v[i]
	}
}

// NewOptimizer returns the optimiser name ("adam" or "sgd", momentum
// 0.9) with learning rate lr and weight decay decay.
func NewOptimizer(name string, lr, decay float64) (Optimizer, error) {
	switch name {
	case "", "adam":
		return NewAdam(lr, decay), nil
	case "sgd":
		return &SGD{LR: lr, Momentum: 0.9, Decay: decay}, nil
	}
	return nil, fmt.Errorf("nn: optimizer %q (want adam or sgd)", name)
}
