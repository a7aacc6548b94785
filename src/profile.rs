//! A profile is the data that decides which generation of API Challenges is served:
//! its catalogue and sections. The active set is the part of a catalogue that is live
//! in the running configuration (challenges.md §3).

use crate::catalogue::{self, Availability, Challenge, Phase};
use crate::config::{Config, ProfileName};

/// One generation of API Challenges.
pub struct Profile {
    pub name: ProfileName,
    pub catalogue: &'static [Challenge],
    pub sections: &'static [&'static str],
}

/// The current generation (challenges.md).
pub static CURRENT: Profile = Profile {
    name: ProfileName::Current,
    catalogue: catalogue::CURRENT,
    sections: catalogue::CURRENT_SECTIONS,
};

impl Profile {
    pub fn get(name: ProfileName) -> &'static Profile {
        match name {
            ProfileName::Current | ProfileName::Classic => &CURRENT,
        }
    }
}

/// The challenges live in this configuration, in catalogue order.
pub struct ActiveSet {
    /// Catalogue indices of active challenges; position + 1 is the `/challenges` id.
    pub indices: Vec<usize>,
    /// Active request-phase rules (catalogue indices).
    pub request_rules: Vec<usize>,
    /// Active response-phase rules (catalogue indices).
    pub response_rules: Vec<usize>,
}

impl ActiveSet {
    pub fn new(profile: &Profile, config: &Config) -> ActiveSet {
        let is_active = |c: &Challenge| match c.availability {
            Availability::Always => true,
            Availability::MultiUser => config.multi_user,
            Availability::MultiUserWithStorage => config.multi_user && config.storage,
        };
        let indices: Vec<usize> = profile
            .catalogue
            .iter()
            .enumerate()
            .filter(|(_, c)| is_active(c))
            .map(|(i, _)| i)
            .collect();
        let by_phase = |phase: Phase| {
            indices
                .iter()
                .copied()
                .filter(|&i| profile.catalogue[i].phase == phase)
                .collect()
        };
        ActiveSet {
            request_rules: by_phase(Phase::Request),
            response_rules: by_phase(Phase::Response),
            indices,
        }
    }

    pub fn is_active(&self, index: usize) -> bool {
        self.indices.binary_search(&index).is_ok()
    }
}
