#pragma once
// Two doubles side by side, for the hot loops (dense layers over many points,
// tanh). GCC/Clang vector extensions: g++ lowers them to SSE2, em++ with
// -msimd128 to WebAssembly's f64x2, and without it to scalar code. Each lane
// does exactly the scalar IEEE operation (no fused multiply-add, no
// reassociation), so the results equal those of scalar code, natively and in
// WebAssembly alike.
#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace bplab::simd {

using f64x2 = double __attribute__((vector_size(16)));
using i64x2 = std::int64_t __attribute__((vector_size(16)));   // what comparisons give
using u64x2 = std::uint64_t __attribute__((vector_size(16)));  // bit patterns
using f32x4 = float __attribute__((vector_size(16)));

inline f64x2 splat(double v) { return f64x2{v, v}; }

inline f64x2 load(const double* p) {
    f64x2 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(double* p, f64x2 v) { std::memcpy(p, &v, sizeof v); }

inline u64x2 bits(f64x2 v) {
    u64x2 b;
    std::memcpy(&b, &v, sizeof b);
    return b;
}

inline f64x2 from_bits(u64x2 b) {
    f64x2 v;
    std::memcpy(&v, &b, sizeof v);
    return v;
}

// mask ? yes : no, lane by lane; mask lanes are all ones or all zeros (a comparison's result).
inline f64x2 select(i64x2 mask, f64x2 yes, f64x2 no) {
    u64x2 m;
    std::memcpy(&m, &mask, sizeof m);
    return from_bits((m & bits(yes)) | (~m & bits(no)));
}

// Four doubles rounded to float (as static_cast<float> rounds each): lo's two, then hi's.
inline void store_floats(float* p, f64x2 lo, f64x2 hi) {
#if defined(__wasm_simd128__)
    // Two f32x4.demote_f64x2_zero and a shuffle; Clang 14 makes four scalar
    // conversions of the portable form below.
    v128_t l, h;
    std::memcpy(&l, &lo, sizeof l);
    std::memcpy(&h, &hi, sizeof h);
    wasm_v128_store(p, wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(l), wasm_f32x4_demote_f64x2_zero(h), 0, 1, 4, 5));
#else
    const f32x4 v = __builtin_convertvector(__builtin_shufflevector(lo, hi, 0, 1, 2, 3), f32x4);
    std::memcpy(p, &v, sizeof v);
#endif
}

// b < a ? b : a, lane by lane: a clamp of a to at most b that keeps a NaN.
inline f64x2 pmin(f64x2 a, f64x2 b) {
#if defined(__wasm_simd128__)
    // f64x2.pmin is one x86 instruction in V8; f64x2.min, which a select
    // would become, takes seven to honour its NaN and -0 rules.
    return __builtin_wasm_pmin_f64x2(a, b);
#else
    return select(b < a, b, a);
#endif
}

}  // namespace bplab::simd
