package org.dualmtgan.data;

/** The part of a split: videos to train on, or held out for evaluation. */
public enum Subset {
    TRAIN, TEST, ALL
}
