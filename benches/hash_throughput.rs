//! In-memory SHA3-224 throughput per backend (no I/O), one core: the
//! ceiling `gvmi hash` can reach on this CPU. `sha3_224_1MiB` is one stream
//! (a single file; wide backends run their scalar partner there);
//! `sha3_224_lanes` is one core hashing as many 1 MiB streams at once as the
//! backend has lanes (one file per lane: batch rehash). Throughput is bytes
//! hashed per second summed over the lanes, so c/B per core = GHz / (GB/s).
//! `cargo bench --bench hash_throughput`; backends this CPU cannot run are
//! listed as skipped.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gvmi_core::sha3_fast::{Backend, Sha3_224, WideSponge};

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

/// Whole blocks in every lane at once: the permutation, the transposed
/// loads and nothing else (the tails are the scalar path's, measured above).
fn lanes(c: &mut Criterion) {
    const BLOCKS: usize = LEN / 144;
    let data: Vec<u8> = (0..(LEN * 8) as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut group = c.benchmark_group("sha3_224_lanes");
    for backend in Backend::ALL {
        if !backend.is_supported() {
            continue;
        }
        let n = backend.lanes();
        group.throughput(Throughput::Bytes((n * BLOCKS * 144) as u64));
        let streams: Vec<&[u8]> = data.chunks(LEN).take(n).collect();
        group.bench_function(backend.name(), |b| match WideSponge::new(backend) {
            Some(mut wide) => b.iter(|| wide.absorb(std::hint::black_box(&streams), BLOCKS)),
            None => b.iter(|| {
                let mut h = Sha3_224::with_backend(backend).expect("supported");
                h.update(std::hint::black_box(&streams[0][..BLOCKS * 144]));
                h.finalize()
            }),
        });
    }
    group.finish();
}

criterion_group!(benches, throughput, lanes);
criterion_main!(benches);
