from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/confirm/", views.register_verify, name="register_verify"),
    path("register/resend/", views.register_resend, name="register_resend"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/confirm/", views.password_reset_finish, name="password_reset_finish"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/profile/", views.profile, name="profile"),
    path("cabinet/requests/", views.my_requests, name="requests"),
    path("cabinet/notifications/", views.notifications, name="notifications"),
    path("cabinet/notifications/read/", views.notifications_read, name="notifications_read"),
]
