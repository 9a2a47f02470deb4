//go:build amd64 || arm64 || loong64 || mips64 || mips64le || ppc64 || ppc64le || riscv64 || s390x

package runtime

import "unsafe"

// A Permit is at most four words on 64-bit targets, which the register ABI
// returns from Allow in registers; a fifth word makes every Allow return it
// through memory. A Permit that grows makes this array's length negative
// and the package's tests fail to compile.
var _ [4*8 - unsafe.Sizeof(Permit{})]struct{}

// A Breaker is at most 208 bytes on 64-bit targets, a size class of its
// own, so that one with its name and its Set's slots fits in 256 bytes
// (BenchmarkSetMemory); a Breaker that grows makes this array's length
// negative and the package's tests fail to compile. Its counters' cells,
// allocated only once calls collide (counter.go), and its history,
// allocated only once its state changes (breaker.go), are not in it.
var _ [208 - unsafe.Sizeof(Breaker{})]struct{}
