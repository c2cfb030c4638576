"""The reviews app's pages, one module per feature. No view module imports another: what
several share is in `reviews.http` (the decorator, the errors) and `reviews.selectors`."""
