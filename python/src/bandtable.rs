//! One open-addressing table for the buckets of every band: (band, band key) → u32, in
//! 16-byte slots probed linearly. A lookup is one cache line in the common case (a cache
//! miss on the table is most of an LSH call's time), and a new table is one zeroed
//! allocation.

/// A slot: the band key, then the band (high half) and the value plus one (low half); all
/// zero when vacant, so a new table is one zeroed allocation (fresh zero pages, no fill).
type Slot = [u64; 2];

fn vacant(s: &Slot) -> bool {
    s[1] as u32 == 0
}

fn pack(band: u32, key: u64, value: u32) -> Slot {
    [key, u64::from(band) << 32 | u64::from(value + 1)]
}

fn value_of(s: &Slot) -> u32 {
    (s[1] as u32) - 1
}

pub(crate) struct BandTable {
    slots: Vec<Slot>,
    len: usize,
}

impl Default for BandTable {
    fn default() -> Self {
        BandTable {
            slots: vec![[0; 2]; 16],
            len: 0,
        }
    }
}

impl BandTable {
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Band keys are xxh3 values, random in their low bits; the band is mixed in so the
    /// same key in two bands lands apart.
    #[inline]
    fn home(&self, band: u32, key: u64) -> usize {
        (key ^ u64::from(band).wrapping_mul(0x9E37_79B9_7F4A_7C15)) as usize & self.mask()
    }

    /// The slot holding (`band`, `key`), or the vacant slot where it would go.
    #[inline]
    fn find(&self, band: u32, key: u64) -> (usize, bool) {
        let mask = self.mask();
        let mut i = self.home(band, key);
        loop {
            let s = &self.slots[i];
            if vacant(s) {
                return (i, false);
            }
            if s[0] == key && (s[1] >> 32) as u32 == band {
                return (i, true);
            }
            i = (i + 1) & mask;
        }
    }

    pub(crate) fn get(&self, band: u32, key: u64) -> Option<u32> {
        match self.find(band, key) {
            (i, true) => Some(value_of(&self.slots[i])),
            _ => None,
        }
    }

    /// The value of (`band`, `key`), after inserting `value` when absent (`value` below
    /// `u32::MAX`).
    pub(crate) fn get_or_insert(&mut self, band: u32, key: u64, value: u32) -> u32 {
        // At most three quarters full: short probes, and always a vacant slot to stop at.
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow();
        }
        match self.find(band, key) {
            (i, true) => value_of(&self.slots[i]),
            (i, false) => {
                self.slots[i] = pack(band, key, value);
                self.len += 1;
                value
            }
        }
    }

    /// Sets the value of a (`band`, `key`) present.
    pub(crate) fn set(&mut self, band: u32, key: u64, value: u32) {
        if let (i, true) = self.find(band, key) {
            self.slots[i] = pack(band, key, value);
        }
    }

    fn grow(&mut self) {
        let bigger = vec![[0; 2]; 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, bigger);
        for s in old.into_iter().filter(|s| !vacant(s)) {
            let (i, _) = self.find((s[1] >> 32) as u32, s[0]);
            self.slots[i] = s;
        }
    }

    /// Removes (`band`, `key`), shifting back the slots after it that probed past it.
    pub(crate) fn remove(&mut self, band: u32, key: u64) {
        let (mut hole, found) = self.find(band, key);
        if !found {
            return;
        }
        let mask = self.mask();
        self.slots[hole] = [0; 2];
        self.len -= 1;
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let s = self.slots[j];
            if vacant(&s) {
                return;
            }
            let home = self.home((s[1] >> 32) as u32, s[0]);
            // The slot may move into the hole when the hole lies between its home and it.
            if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                self.slots[hole] = s;
                self.slots[j] = [0; 2];
                hole = j;
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        *self = BandTable::default();
    }
}
