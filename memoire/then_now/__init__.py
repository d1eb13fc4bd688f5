"""then_now domain: an old photo paired with a photo of the same view today (issue 18)."""
