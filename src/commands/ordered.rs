//! Results arrive in any order; output goes in list order, as soon as it can.

/// Slots filled in any order, drained strictly from the front.
pub struct InOrder<T> {
    slots: Vec<Option<T>>,
    next: usize,
}

impl<T> InOrder<T> {
    pub fn new(len: usize) -> Self {
        InOrder {
            slots: std::iter::repeat_with(|| None).take(len).collect(),
            next: 0,
        }
    }

    pub fn fill(&mut self, index: usize, value: T) {
        self.slots[index] = Some(value);
    }

    /// Every value from the front up to the first empty slot.
    pub fn drain_ready(&mut self) -> Vec<T> {
        let mut ready = Vec::new();
        while let Some(value) = self.slots.get_mut(self.next).and_then(Option::take) {
            ready.push(value);
            self.next += 1;
        }
        ready
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;

    #[test]
    fn holds_back_until_the_gap_is_filled() {
        let mut o = InOrder::new(3);
        o.fill(2, 'c');
        o.fill(1, 'b');
        assert!(o.drain_ready().is_empty());
        o.fill(0, 'a');
        assert_eq!(o.drain_ready(), vec!['a', 'b', 'c']);
    }
}
