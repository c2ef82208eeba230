// Package synth generates synthetic ECG with known beats and rhythms, for
// demos, tests and training sets that need labelled data.
//
// # Model
//
// The idea follows the dynamical model of McSharry et al. (ECGSYN, IEEE
// Trans. Biomed. Eng. 50(3):289-294, 2003): each heartbeat is a sum of
// Gaussian bumps for the P, Q, R, S and T waves, and the beats are placed on
// an RR interval series whose power spectrum has the low-frequency (Mayer
// waves, about 0.1 Hz) and high-frequency (respiratory sinus arrhythmia,
// 0.2-0.3 Hz) peaks of a resting heart. Instead of integrating the ODE, the
// bumps are written directly in time: a wave i of a beat with R peak at t_R
// contributes
//
//	a_i * exp(-(t - t_R - c_i)^2 / (2 s_i^2))
//
// millivolts, with a different s_i on each side of the peak for the
// asymmetric T wave. Widths and amplitudes are those of lead II in an adult
// at rest (P 0.15 mV over about 100 ms, QRS about 90 ms with R near 1.2 mV,
// T 0.3 mV); the ST-T timing stretches with the square root of the RR
// interval (Bazett) and the PR interval shortens slightly with heart rate.
// Each recording draws its own morphology around these values from the seed.
//
// # Rhythms
//
//   - "normal": sinus rhythm, 60-100 bpm, RR variability about 4 %.
//   - "brady": sinus bradycardia, below 60 bpm.
//   - "tachy": sinus tachycardia, above 100 bpm, lower variability (2 %).
//   - "afib": atrial fibrillation: RR intervals drawn independently from a
//     log-normal law (coefficient of variation about 0.25, irregularly
//     irregular), no P waves, fibrillatory f-waves of 0.05-0.1 mV at 5-7 Hz
//     with a slowly drifting frequency (within 4-9 Hz).
//   - "pvc": sinus rhythm with frequent premature ventricular contractions
//     (by default on 15 % of sinus cycles, never two in a row): wide QRS
//     (about 150 ms), no P wave, discordant T wave, coupling interval 55-70 %
//     of the sinus RR and a full compensatory pause.
//   - "bigeminy": ventricular bigeminy, N V N V ..., same premature beats.
//   - "trigeminy": ventricular trigeminy, N N V N N V ...
//
// With a full compensatory pause a premature beat replaces a sinus beat, so
// for every rhythm the mean beat rate equals Options.HR.
//
// # Annotations
//
// Beats carry MIT-BIH beat codes (N for sinus and fibrillation beats, V for
// premature ventricular beats) at the sample of the R peak (the peak of the
// main deflection for V beats). The rhythm is one rhythm-change annotation
// ('+') at sample 0 with the MIT-BIH rhythm note in Aux: "(N" normal sinus
// rhythm, "(SBR" sinus bradycardia, "(AFIB" atrial fibrillation, "(B"
// ventricular bigeminy, "(T" ventricular trigeminy. "pvc" is "(N" (the
// underlying rhythm is sinus; the V beats say the rest). Sinus tachycardia
// has no rhythm note in the MIT-BIH vocabulary, whose annotators marked it
// "(N"; we do the same, so that tools trained on MIT-BIH rhythm labels read
// our records the same way. The rhythm name stays in Options.Rhythm and in
// the record's header comment written by Recording.WriteWFDB.
//
// # Reproducibility
//
// Every random choice comes from sources seeded by Options.Seed (no global
// random state): the same options give the same samples, bit for bit, and
// a Generator gives the same samples whatever the sizes of the reads.
package synth
