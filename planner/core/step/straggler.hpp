#pragma once
// The slowest of N GPUs sets the pace of a synchronous step. Identical GPUs of one SKU do not run at
// one speed (manufacturing variation, power management, temperature: Sinha et al., 'Not All GPUs Are
// Created Equal', SC'22); every step waits, at its pipeline and data-parallel synchronisations, for
// the slowest GPU, whose compute takes (1 + cv x z(N)) of the mean's, z(N) the expected maximum of
// N standard normal draws (about sqrt(2 ln N) for large N: +2.6 sigma at 128 GPUs, +3.4 at 2,048,
// +4.0 at 16,384, +4.2 at 32,768). docs/model.md, "Scale effects".
namespace trainplan {

// Expected maximum of n independent standard normal draws, by Blom's (1958) plotting position:
// Phi^-1((n - 0.375) / (n + 0.25)); 0 for n <= 1.
double expected_max_standard_normal(long long n);

// Seconds the slowest of `gpus` GPUs adds to a step whose busiest GPU computes `compute_s`, the
// per-GPU speed varying with coefficient of variation `gpu_speed_cv`.
double straggler_seconds(double compute_s, long long gpus, double gpu_speed_cv);

}  // namespace trainplan
