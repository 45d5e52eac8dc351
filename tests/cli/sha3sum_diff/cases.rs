//! Random cases for the differential test: sha3sum command lines (hash and
//! check), the lists they check, mutated every way a list can be.

use super::world::{World, ALGORITHMS, MODES};
use crate::support::Prng;

/// One command line to give both programs, with what it reads.
pub struct Case {
    pub args: Vec<Vec<u8>>,
    pub stdin: Vec<u8>,
    /// Lists written into the world's folder before the runs: (name, bytes).
    pub lists: Vec<(Vec<u8>, Vec<u8>)>,
    /// A FIFO operand and what its writer sends, fresh for each run.
    pub fifo: Option<(Vec<u8>, Vec<u8>)>,
    pub check: bool,
}

pub struct Gen<'w> {
    prng: Prng,
    world: &'w World,
    id: usize,
}

impl<'w> Gen<'w> {
    pub fn new(seed: u64, id: usize, world: &'w World) -> Self {
        let prng = Prng::new(seed.wrapping_add((id as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        Gen { prng, world, id }
    }

    fn below(&mut self, n: usize) -> usize {
        (self.prng.next_u64() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let mut b = vec![0u8; self.below(max + 1)];
        self.prng.fill(&mut b);
        b
    }

    pub fn case(&mut self) -> Case {
        match self.below(5) {
            0 | 1 => self.hash_case(),
            _ => self.check_case(),
        }
    }

    /// The ways to say `-a 224`, and the other flags of the sha3sum form.
    fn algorithm_flag(&mut self) -> Vec<Vec<u8>> {
        let spellings: [&[&str]; 5] = [
            &["-a", "224"],
            &["-a224"],
            &["--algorithm=224"],
            &["--algorithm", "224"],
            &["-a", "224", "-a", "224"],
        ];
        let flag = self.pick(&spellings);
        flag.iter().map(|f| f.as_bytes().to_vec()).collect()
    }

    fn hash_case(&mut self) -> Case {
        let mut args = self.algorithm_flag();
        for _ in 0..self.below(3) {
            let flag = self.pick(&["-b", "-t", "--tag", "--binary", "--text"]);
            args.push(flag.as_bytes().to_vec());
        }
        let (mut operands, mut fifo) = (Vec::new(), None);
        for _ in 0..self.below(5) {
            let operand = match self.below(10) {
                0 => b"-".to_vec(),
                1 => format!("missing{}", self.id).into_bytes(),
                2 => b"/dev/null".to_vec(),
                3 if fifo.is_none() => {
                    let name = format!("fifo{}", self.id).into_bytes();
                    fifo = Some((name.clone(), self.bytes(400)));
                    name
                }
                _ => self.pick(&self.world.names),
            };
            operands.push(operand);
        }
        if operands.iter().any(|o| o.len() > 1 && o[0] == b'-') {
            args.push(b"--".to_vec());
        }
        args.extend(operands);
        Case {
            args,
            stdin: self.bytes(300),
            lists: Vec::new(),
            fifo,
            check: false,
        }
    }

    fn check_case(&mut self) -> Case {
        let mut args = self.algorithm_flag();
        args.push(self.pick(&["-c", "--check"]).as_bytes().to_vec());
        let flags = [
            "-q",
            "-s",
            "-w",
            "--strict",
            "--ignore-missing",
            "-b",
            "-t",
            "-U",
            "-0",
            "--tag",
            "--quiet",
            "--status",
            "--warn",
        ];
        for _ in 0..self.below(4) {
            args.push(self.pick(&flags).as_bytes().to_vec());
        }
        let (mut lists, mut stdin) = (Vec::new(), None);
        let count = 1 + self.below(3) * usize::from(self.chance(3));
        for k in 0..count {
            let text = self.list();
            match self.below(8) {
                0 if stdin.is_none() => {
                    args.push(b"-".to_vec());
                    stdin = Some(text);
                }
                1 if count == 1 => stdin = Some(text), // no operand: standard input
                2 if self.chance(3) => args.push(b"no-such-list".to_vec()),
                _ => {
                    let name = format!("list{}-{k}", self.id).into_bytes();
                    args.push(name.clone());
                    lists.push((name, text));
                }
            }
        }
        let stdin = stdin.unwrap_or_else(|| self.bytes(200));
        Case {
            args,
            stdin,
            lists,
            fifo: None,
            check: true,
        }
    }

    /// A list of a few lines, each right or wrong in its own way.
    fn list(&mut self) -> Vec<u8> {
        let mut text = Vec::new();
        let mut last = Vec::new();
        for _ in 0..self.below(7) {
            let line = match self.below(14) {
                0 => b"".to_vec(),
                1 => b"# a comment".to_vec(),
                2 => b"  # indented".to_vec(),
                3 => b"not a checksum line".to_vec(),
                4 if !last.is_empty() => last.clone(),
                _ => self.entry_line(),
            };
            last.clone_from(&line);
            text.extend_from_slice(&line);
            text.extend_from_slice(if self.chance(8) { b"\r\n" } else { b"\n" });
        }
        if self.chance(6) && text.last() == Some(&b'\n') {
            text.pop();
        }
        text
    }

    /// A checksum line for a file of the world (or a missing one, or `-`).
    fn entry_line(&mut self) -> Vec<u8> {
        let file = self.below(self.world.names.len());
        let mut name = match self.below(12) {
            0 => format!("gone{}", self.id).into_bytes(),
            1 => b"-".to_vec(),
            _ => self.world.names[file].clone(),
        };
        let algorithm = match self.below(3) {
            0 => self.below(ALGORITHMS.len()),
            _ => 0,
        };
        let mode = match self.below(4) {
            0 => self.below(MODES.len()),
            _ => self.below(2),
        };
        let mut hex = self.world.digests[file][algorithm][mode]
            .clone()
            .into_bytes();
        self.mutate_hex(&mut hex);
        let escape = (name.contains(&b'\\') || name.contains(&b'\n')) && !self.chance(6);
        if escape {
            name = perl_escape(&name);
        }
        let mut line = Vec::new();
        if self.chance(8) {
            line.extend_from_slice(self.pick(&[&b" "[..], b"\t", b"  "]));
        }
        if escape || self.chance(20) {
            line.push(b'\\');
        }
        if self.chance(4) {
            self.tag_line(&mut line, algorithm, &name, &hex);
        } else {
            line.extend_from_slice(&hex);
            line.push(if self.chance(6) { b'\t' } else { b' ' });
            line.push(MODES[mode]);
            line.extend_from_slice(&name);
        }
        if self.chance(10) {
            line.push(b' ');
        }
        line
    }

    fn tag_line(&mut self, line: &mut Vec<u8>, algorithm: usize, name: &[u8], hex: &[u8]) {
        let tag = match (algorithm, self.below(3)) {
            (4, 0) => "SHAKE128".to_string(),
            (5, 0) => "SHAKE256".to_string(),
            (a, _) => format!("SHA3-{}", ALGORITHMS[a]),
        };
        line.extend_from_slice(tag.as_bytes());
        line.extend_from_slice(self.pick(&[&b" ("[..], b" (", b" (", b"(", b"  ("]));
        line.extend_from_slice(name);
        line.extend_from_slice(self.pick(&[&b") = "[..], b") = ", b") = ", b")= ", b") =  "]));
        line.extend_from_slice(hex);
        if self.chance(8) {
            line.extend_from_slice(b"zz");
        }
    }

    /// Most hashes stay right; the rest are flipped, cut, grown or uppercased.
    fn mutate_hex(&mut self, hex: &mut Vec<u8>) {
        match self.below(12) {
            0 => {
                let i = self.below(hex.len());
                hex[i] = if hex[i] == b'0' { b'1' } else { b'0' };
            }
            1 => {
                let cut = self.below(hex.len());
                hex.truncate(cut);
            }
            2 => hex.extend_from_slice(&b"0123456789abcdef"[..1 + self.below(16)]),
            3 => hex.make_ascii_uppercase(),
            _ => {}
        }
    }
}

/// sha3sum's escaping of a name in a line: `\` and LF.
pub fn perl_escape(name: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + 2);
    for &b in name {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out
}
