//! In-memory SHA3-224 throughput per backend (no I/O): the ceiling a
//! single-file `gvmi hash` can reach on this CPU. `cargo bench --bench
//! hash_throughput`; each backend this CPU cannot run is listed as skipped.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gvmi::sha3_fast::{Backend, Sha3_224};

/// One read chunk, as `hasher` feeds it.
const LEN: usize = 1 << 20;

fn throughput(c: &mut Criterion) {
    let data: Vec<u8> = (0..LEN as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut group = c.benchmark_group("sha3_224_1MiB");
    group.throughput(Throughput::Bytes(LEN as u64));
    for backend in Backend::ALL {
        if !backend.is_supported() {
            eprintln!("{}: not supported by this CPU, skipped", backend.name());
            continue;
        }
        group.bench_function(backend.name(), |b| {
            b.iter(|| {
                let mut h = Sha3_224::with_backend(backend).expect("supported");
                h.update(std::hint::black_box(&data));
                h.finalize()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
