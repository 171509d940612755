from django.urls import path

from . import views, views_identity

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/confirm/", views.register_verify, name="register_verify"),
    path("register/resend/", views.register_resend, name="register_resend"),
    path("register/eds/", views_identity.register_eds, name="register_eds"),
    path("eds/challenge/", views_identity.eds_challenge, name="eds_challenge"),
    path("login/", views.login_view, name="login"),
    path("login/eds/", views_identity.login_eds, name="login_eds"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/confirm/", views.password_reset_finish, name="password_reset_finish"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/profile/", views.profile, name="profile"),
    path("cabinet/prove/", views_identity.identity_prove, name="identity_prove"),
    path("cabinet/prove/code/", views_identity.identity_code_send, name="identity_code_send"),
    path("cabinet/prove/eds/", views_identity.identity_prove_eds, name="identity_prove_eds"),
    path("cabinet/requests/", views.my_requests, name="requests"),
    path("cabinet/notifications/", views.notifications, name="notifications"),
    path("cabinet/notifications/read/", views.notifications_read, name="notifications_read"),
]
