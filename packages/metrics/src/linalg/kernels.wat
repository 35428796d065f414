;; WebAssembly SIMD kernels for the memory-bound inner loops of the linear algebra.
;; Assembled by packages/metrics/bench/build-wasm.mjs (npm "build:wasm", wabt from npm) into
;; kernels-wasm.ts; kernels-wasm.test.ts checks that the embedded bytes match this source.
;; The memory is shared so that a helper thread can run the same kernels on the same heap.
;;
;; symvRows(a, lda, r0, r1, x, y): y += (rows r0..r1 of A)·x and their mirror images, for the
;; symmetric matrix A whose lower triangle (j ≤ i) is stored row-major at byte address a with row
;; stride lda (doubles); the upper triangle is never read. Rows 0..n give y += A·x. Each stored
;; element is loaded once and used twice (row i: dot product with x; column i: y[j] += a_ij·x_i),
;; so the matrix is read half as often as by a full matrix–vector product — the point, as this
;; product is limited by memory bandwidth. Rows [r0, r1) write y[0 .. r1).
;; dot2(a, b, x, n, out): out[0] = a·x, out[1] = b·x over n doubles (two dot products, one pass over x).
;; axpy2(y, a, b, alpha, beta, n): y −= alpha·a + beta·b over n doubles.
;; dot2 and axpy2 carry the panel work of the blocked Householder tridiagonalisation.
;; Pointers are byte addresses into the imported memory, 8-byte aligned.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "symvRows") (param $a i32) (param $lda i32) (param $r0 i32) (param $r1 i32) (param $x i32) (param $y i32)
    (local $i i32) (local $j i32) (local $row i32) (local $off i32) (local $end i32)
    (local $xi f64) (local $t f64) (local $aij f64)
    (local $xiv v128) (local $s0 v128) (local $s1 v128) (local $av v128) (local $bv v128)
    (local.set $i (local.get $r0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $r1)))
        (local.set $row (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $lda)) (i32.const 3))))
        (local.set $xi (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $xiv (f64x2.splat (local.get $xi)))
        (local.set $s0 (v128.const i64x2 0 0))
        (local.set $s1 (v128.const i64x2 0 0))
        (local.set $j (i32.const 0))
        ;; Strictly-lower part of row i, four elements per step: j < i rounded down to a multiple of 4.
        (local.set $end (i32.and (local.get $i) (i32.const -4)))
        (block $quad_done
          (loop $quad
            (br_if $quad_done (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $off (i32.shl (local.get $j) (i32.const 3)))
            (local.set $av (v128.load (i32.add (local.get $row) (local.get $off))))
            (local.set $bv (v128.load offset=16 (i32.add (local.get $row) (local.get $off))))
            (local.set $s0 (f64x2.add (local.get $s0)
              (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $off))))))
            (local.set $s1 (f64x2.add (local.get $s1)
              (f64x2.mul (local.get $bv) (v128.load offset=16 (i32.add (local.get $x) (local.get $off))))))
            (v128.store (i32.add (local.get $y) (local.get $off))
              (f64x2.add (v128.load (i32.add (local.get $y) (local.get $off))) (f64x2.mul (local.get $av) (local.get $xiv))))
            (v128.store offset=16 (i32.add (local.get $y) (local.get $off))
              (f64x2.add (v128.load offset=16 (i32.add (local.get $y) (local.get $off))) (f64x2.mul (local.get $bv) (local.get $xiv))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quad)))
        (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
        (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
        ;; Remaining strictly-lower elements, one at a time.
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $i)))
            (local.set $off (i32.shl (local.get $j) (i32.const 3)))
            (local.set $aij (f64.load (i32.add (local.get $row) (local.get $off))))
            (local.set $t (f64.add (local.get $t) (f64.mul (local.get $aij) (f64.load (i32.add (local.get $x) (local.get $off))))))
            (f64.store (i32.add (local.get $y) (local.get $off))
              (f64.add (f64.load (i32.add (local.get $y) (local.get $off))) (f64.mul (local.get $aij) (local.get $xi))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        ;; y[i] += (row i · x) + a_ii·x_i
        (local.set $off (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $off))
          (f64.add (f64.load (i32.add (local.get $y) (local.get $off)))
            (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $row) (local.get $off))) (local.get $xi)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
 
  (func (export "dot2") (param $a i32) (param $b i32) (param $x i32) (param $n i32) (param $out i32)
    (local $j i32) (local $off i32) (local $end i32) (local $xv v128) (local $sa v128) (local $sb v128)
    (local $ta f64) (local $tb f64) (local $xj f64)
    (local.set $sa (v128.const i64x2 0 0))
    (local.set $sb (v128.const i64x2 0 0))
    (local.set $end (i32.and (local.get $n) (i32.const -2)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $off (i32.shl (local.get $j) (i32.const 3)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $sa (f64x2.add (local.get $sa) (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $off))) (local.get $xv))))
        (local.set $sb (f64x2.add (local.get $sb) (f64x2.mul (v128.load (i32.add (local.get $b) (local.get $off))) (local.get $xv))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (local.set $ta (f64.add (f64x2.extract_lane 0 (local.get $sa)) (f64x2.extract_lane 1 (local.get $sa))))
    (local.set $tb (f64.add (f64x2.extract_lane 0 (local.get $sb)) (f64x2.extract_lane 1 (local.get $sb))))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (local.set $off (i32.shl (local.get $j) (i32.const 3)))
        (local.set $xj (f64.load (i32.add (local.get $x) (local.get $off))))
        (local.set $ta (f64.add (local.get $ta) (f64.mul (f64.load (i32.add (local.get $a) (local.get $off))) (local.get $xj))))
        (local.set $tb (f64.add (local.get $tb) (f64.mul (f64.load (i32.add (local.get $b) (local.get $off))) (local.get $xj))))))
    (f64.store (local.get $out) (local.get $ta))
    (f64.store offset=8 (local.get $out) (local.get $tb)))

  (func (export "axpy2") (param $y i32) (param $a i32) (param $b i32) (param $alpha f64) (param $beta f64) (param $n i32)
    (local $j i32) (local $off i32) (local $end i32) (local $av v128) (local $bv v128)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $bv (f64x2.splat (local.get $beta)))
    (local.set $end (i32.and (local.get $n) (i32.const -2)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $off (i32.shl (local.get $j) (i32.const 3)))
        (v128.store (i32.add (local.get $y) (local.get $off))
          (f64x2.sub (v128.load (i32.add (local.get $y) (local.get $off)))
            (f64x2.add (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $off))) (local.get $av))
                       (f64x2.mul (v128.load (i32.add (local.get $b) (local.get $off))) (local.get $bv)))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (local.set $off (i32.shl (local.get $j) (i32.const 3)))
        (f64.store (i32.add (local.get $y) (local.get $off))
          (f64.sub (f64.load (i32.add (local.get $y) (local.get $off)))
            (f64.add (f64.mul (f64.load (i32.add (local.get $a) (local.get $off))) (local.get $alpha))
                     (f64.mul (f64.load (i32.add (local.get $b) (local.get $off))) (local.get $beta))))))))
)
