"""The story behind the curves: narratives, the activities register, and who may write them."""
