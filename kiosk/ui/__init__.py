"""The Qt side: the window and its parts, slide views, drawing, rendering and the Qt commands."""
