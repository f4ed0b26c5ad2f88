"""Discussion threads in a community: posts, mentions, answers, reactions, moderation."""
