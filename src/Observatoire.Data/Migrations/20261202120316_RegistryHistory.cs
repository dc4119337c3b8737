using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observatoire.Data.Migrations
{
    /// <inheritdoc />
    public partial class RegistryHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PostVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PostId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Baseline = table.Column<bool>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DepartmentCode = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Zone = table.Column<int>(type: "INTEGER", nullable: false),
                    Fte = table.Column<double>(type: "REAL", nullable: false),
                    Frequency = table.Column<int>(type: "INTEGER", nullable: false),
                    ActiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ActiveTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Locations = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostVersions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PostVersions_PostId_Id",
                table: "PostVersions",
                columns: new[] { "PostId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PostVersions_RecordedAtUtc",
                table: "PostVersions",
                column: "RecordedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PostVersions");
        }
    }
}
